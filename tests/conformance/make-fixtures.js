// Writes conformance fixtures: for fixed inputs, the activations TensorFlow.js's CPU backend
// computes at chosen layers of (1) the default InceptionV3 and MobileNetV2 and (2) small models
// built here that use every layer type the engine implements, stored with float32, uint8,
// uint16 and float16 weights.
//
//   node make-fixtures.js MODELS_DIR OUT_DIR
//
// Each fixture folder holds fixture.json (input and output shapes, NHWC) and little-endian
// float32 files. The tiny models' folders also hold model.json and weight shards.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');

const [modelsDir, outDir] = process.argv.slice(2);
if (!modelsDir || !outDir) {
  console.error('usage: make-fixtures.js MODELS_DIR OUT_DIR');
  process.exit(1);
}

// Deterministic pseudo-random numbers (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A photo-like input in [0, 1]: smooth gradients and waves with a little noise.
function makeInput(h, w, seed) {
  const r = rng(seed);
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; ++y)
    for (let x = 0; x < w; ++x)
      for (let c = 0; c < 3; ++c) {
        const v = 0.5 + 0.3 * Math.sin(0.11 * x * (c + 1) + 0.07 * y) + 0.15 * Math.cos(0.05 * (x + 2 * y)) +
            0.1 * (r() - 0.5);
        data[(y * w + x) * 3 + c] = Math.min(1, Math.max(0, v));
      }
  return tf.tensor4d(data, [1, h, w, 3]);
}

function writeFloats(file, tensor) {
  const data = tensor.dataSync();
  fs.writeFileSync(file, Buffer.from(new Float32Array(data).buffer));
}

function writeFixture(dir, input, outputs, extra) {
  fs.mkdirSync(dir, {recursive: true});
  writeFloats(path.join(dir, 'input.f32'), input);
  const entries = outputs.map(({layer, tensor}) => {
    const file = `${layer}.f32`;
    writeFloats(path.join(dir, file), tensor);
    return {layer, shape: tensor.shape, file};
  });
  const fixture = Object.assign({
    generator: `@tensorflow/tfjs-layers ${tfl.version_layers}, tfjs-backend-cpu`,
    input: {shape: input.shape, file: 'input.f32', range: '[0, 1] RGB, before the model\'s preprocessing'},
    outputs: entries,
  }, extra);
  fs.writeFileSync(path.join(dir, 'fixture.json'), JSON.stringify(fixture, null, 2) + '\n');
}

// Loads a layers-format model from disk, keeping only what `outputs` need and giving the input
// an h×w size, so the classifier head (fixed to 224 or 299 px) is not built.
async function loadTruncated(dir, outputs, h, w) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const config = doc.modelTopology.model_config.config;
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  const needed = new Set();
  const visit = (name) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const node of byName.get(name).inbound_nodes)
      for (const inbound of node) visit(inbound[0]);
  };
  outputs.forEach(visit);
  config.layers = config.layers.filter((l) => needed.has(l.name));
  config.output_layers = outputs.map((n) => [n, 0, 0]);
  for (const l of config.layers)
    if (l.class_name === 'InputLayer') l.config.batch_input_shape = [null, h, w, 3];
  const weightSpecs = [];
  const buffers = [];
  for (const group of doc.weightsManifest) {
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
    weightSpecs.push(...group.weights);
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tfl.loadLayersModel(tf.io.fromMemory({modelTopology: doc.modelTopology, weightSpecs, weightData}),
                             {strict: false});
}

async function defaultModelFixture(id, layers, h, w, seed) {
  const model = await loadTruncated(path.join(modelsDir, id), layers, h, w);
  const input = makeInput(h, w, seed);
  let outs = model.predict(tf.sub(tf.mul(input, 2), 1));  // the models' preprocessing: x / 127.5 - 1
  if (!Array.isArray(outs)) outs = [outs];
  writeFixture(path.join(outDir, id), input, layers.map((layer, i) => ({layer, tensor: outs[i]})),
               {model: id});
  console.log(`${id}: ${layers.join(', ')} at ${w}x${h}`);
}

// A small functional model with every implemented layer type. Odd sizes make "same" padding
// asymmetric, as TensorFlow pads.
function buildTiny() {
  const input = tfl.input({shape: [13, 17, 3], name: 'input'});
  const pad = tfl.layers.zeroPadding2d({padding: [[0, 1], [2, 1]], name: 'pad'}).apply(input);
  const c1 = tfl.layers.conv2d({filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: true,
                                name: 'conv_same_s2'}).apply(pad);
  const bn1 = tfl.layers.batchNormalization({name: 'bn1', epsilon: 1e-3}).apply(c1);
  const r1 = tfl.layers.reLU({maxValue: 6, name: 'relu6'}).apply(bn1);
  const dw = tfl.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false,
                                         name: 'depthwise'}).apply(r1);
  const bn2 = tfl.layers.batchNormalization({name: 'bn2', scale: false}).apply(dw);
  const a1 = tfl.layers.activation({activation: 'relu', name: 'act_relu'}).apply(bn2);
  const sep = tfl.layers.separableConv2d({filters: 16, kernelSize: [3, 2], padding: 'valid', activation: 'tanh',
                                          name: 'separable'}).apply(a1);
  const c2 = tfl.layers.conv2d({filters: 16, kernelSize: [1, 5], padding: 'same', activation: 'sigmoid',
                                name: 'conv_1x5'}).apply(a1);
  const c2crop = tfl.layers.conv2d({filters: 16, kernelSize: [3, 2], padding: 'valid', dilationRate: 1,
                                    name: 'conv_valid'}).apply(c2);
  const add = tfl.layers.add({name: 'add'}).apply([sep, c2crop]);
  const mul = tfl.layers.multiply({name: 'multiply'}).apply([add, sep]);
  const mp = tfl.layers.maxPooling2d({poolSize: 3, strides: 2, padding: 'same', name: 'maxpool_same'}).apply(mul);
  const ap = tfl.layers.averagePooling2d({poolSize: 3, strides: 2, padding: 'same', name: 'avgpool_same'}).apply(mul);
  const apv = tfl.layers.averagePooling2d({poolSize: 2, strides: 1, padding: 'valid', name: 'avgpool_valid'}).apply(mul);
  const mpv = tfl.layers.maxPooling2d({poolSize: 2, strides: 1, padding: 'valid', name: 'maxpool_valid'}).apply(mul);
  const cat = tfl.layers.concatenate({axis: -1, name: 'concat'}).apply([mp, ap]);
  const dil = tfl.layers.conv2d({filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'swish',
                                 name: 'conv_dilated'}).apply(a1);
  const gap = tfl.layers.globalAveragePooling2d({name: 'gap'}).apply(cat);
  const flat = tfl.layers.flatten({name: 'flatten'}).apply(cat);
  const d1 = tfl.layers.dense({units: 10, activation: 'relu', name: 'dense'}).apply(flat);
  const drop = tfl.layers.dropout({rate: 0.5, name: 'dropout'}).apply(d1);
  const gapDense = tfl.layers.dense({units: 10, name: 'gap_dense'}).apply(gap);
  const sum = tfl.layers.add({name: 'head_add'}).apply([drop, gapDense]);
  const soft = tfl.layers.activation({activation: 'softmax', name: 'softmax'}).apply(sum);
  return tfl.model({inputs: input, outputs: [soft, apv, mpv, dil], name: 'tiny'});
}

const tinyOutputs = ['pad', 'conv_same_s2', 'bn1', 'relu6', 'depthwise', 'bn2', 'act_relu', 'separable', 'conv_1x5',
                     'conv_valid', 'add', 'multiply', 'maxpool_same', 'avgpool_same', 'avgpool_valid',
                     'maxpool_valid', 'concat', 'conv_dilated', 'gap', 'flatten', 'dense', 'dropout', 'gap_dense',
                     'softmax'];

// Float32 to IEEE half, rounding to nearest even.
function toHalf(value) {
  const f = new Float32Array([value]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  let exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp <= 0) return sign;  // weights here are never this small; flush to zero
  if (exp >= 31) return sign | 0x7c00;
  let half = sign | (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half += 1;
  return half;
}

// Encodes weights as stored by the TensorFlow.js converter with --quantize_*.
function encodeWeights(tensors, storage) {
  const specs = [];
  const chunks = [];
  for (const {name, tensor} of tensors) {
    const values = tensor.dataSync();
    const spec = {name, shape: tensor.shape, dtype: 'float32'};
    if (storage === 'float32') {
      chunks.push(Buffer.from(new Float32Array(values).buffer));
    } else if (storage === 'float16') {
      spec.quantization = {dtype: 'float16'};
      chunks.push(Buffer.from(new Uint16Array(Array.from(values, toHalf)).buffer));
    } else {
      const levels = storage === 'uint8' ? 255 : 65535;
      let min = Math.min(...values), max = Math.max(...values);
      if (max === min) max = min + 1;
      const scale = (max - min) / levels;
      spec.quantization = {dtype: storage, min, scale};
      const q = Array.from(values, (v) => Math.round((v - min) / scale));
      chunks.push(Buffer.from((storage === 'uint8' ? new Uint8Array(q) : new Uint16Array(q)).buffer));
    }
    specs.push(spec);
  }
  return {specs, data: Buffer.concat(chunks)};
}

async function tinyFixtures() {
  const model = buildTiny();
  // Random weights, with batch-norm variances kept positive and away from zero.
  const r = rng(7);
  model.weights.forEach((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const isVariance = w.originalName.endsWith('moving_variance');
    const values = Float32Array.from({length: n}, () => isVariance ? 0.5 + r() : (r() - 0.5) * 1.2);
    w.write(tf.tensor(values, w.shape));
  });
  let topology;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    topology = artifacts.modelTopology;
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  const tensors = model.weights.map((w) => ({name: w.originalName, tensor: w.read()}));
  const input = makeInput(13, 17, 11);
  for (const storage of ['float32', 'uint8', 'uint16', 'float16']) {
    const {specs, data} = encodeWeights(tensors, storage);
    // The reference comes from TensorFlow.js decoding these very bytes.
    const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory({modelTopology: topology, weightSpecs: specs, weightData}));
    const probe = tfl.model({inputs: loaded.inputs, outputs: tinyOutputs.map((n) => loaded.getLayer(n).output)});
    const outs = probe.predict(input);
    const dir = path.join(outDir, `tiny_${storage}`);
    fs.mkdirSync(dir, {recursive: true});
    // Two shards, split mid-weight, as the converter splits at 4 MB.
    const cut = Math.floor(data.length / 2) + 1;
    fs.writeFileSync(path.join(dir, 'group1-shard1of2.bin'), data.subarray(0, cut));
    fs.writeFileSync(path.join(dir, 'group1-shard2of2.bin'), data.subarray(cut));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
      convertedBy: 'Inceptionist tests/conformance/make-fixtures.js',
      modelTopology: topology,
      weightsManifest: [{paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs}],
    }));
    fs.writeFileSync(path.join(dir, 'manifest.json'),
                     JSON.stringify({display_name: `Tiny (${storage} weights)`, preprocessing: 'unit'}, null, 2) + '\n');
    writeFixture(dir, input, tinyOutputs.map((layer, i) => ({layer, tensor: outs[i]})), {model: `tiny_${storage}`});
    console.log(`tiny_${storage}: ${tinyOutputs.length} layers`);
  }
}

(async () => {
  await tf.setBackend('cpu');
  await defaultModelFixture('inception_v3', ['mixed2', 'mixed4', 'mixed5'], 91, 107, 1);
  await defaultModelFixture('mobilenet_v2', ['block_5_add', 'block_9_add'], 91, 107, 2);
  await tinyFixtures();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
