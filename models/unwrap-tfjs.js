#!/usr/bin/env node
// Turns a model shipped as UMD JavaScript wrappers (as in the nsfwjs npm package) into the
// standard TensorFlow.js layers format: model.json plus binary weight shards.
//
//   node unwrap-tfjs.js SOURCE_DIR DEST_DIR
//
// SOURCE_DIR holds model.min.js (exporting {modelTopology, weightsManifest}) and
// group*-shard*.min.js files (each exporting its shard's bytes as a base64 string).
'use strict';
const fs = require('fs');
const path = require('path');

const [src, dest] = process.argv.slice(2);
if (!src || !dest) {
  console.error('usage: unwrap-tfjs.js SOURCE_DIR DEST_DIR');
  process.exit(1);
}
const wrapped = require(path.resolve(src, 'model.min.js'));
if (!wrapped.modelTopology || !wrapped.weightsManifest) {
  console.error(`${src}/model.min.js does not export modelTopology and weightsManifest`);
  process.exit(1);
}
const tmp = `${dest}.partial`;
fs.rmSync(tmp, {recursive: true, force: true});
fs.mkdirSync(tmp, {recursive: true});
const manifest = wrapped.weightsManifest.map((group) => {
  const paths = group.paths.map((p) => {
    const shard = require(path.resolve(src, `${p}.min.js`));
    if (typeof shard !== 'string') throw new Error(`${p}.min.js does not export a base64 string`);
    fs.writeFileSync(path.join(tmp, `${p}.bin`), Buffer.from(shard, 'base64'));
    return `${p}.bin`;
  });
  return {paths, weights: group.weights};
});
const model = {
  format: 'layers-model',
  generatedBy: `keras v${wrapped.modelTopology.keras_version || '?'}`,
  convertedBy: 'Inceptionist models/unwrap-tfjs.js',
  modelTopology: wrapped.modelTopology,
  weightsManifest: manifest,
};
fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(model));
// Replace the destination only once everything is written.
fs.rmSync(dest, {recursive: true, force: true});
fs.renameSync(tmp, dest);
