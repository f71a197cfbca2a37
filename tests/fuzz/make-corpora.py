#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/ (committed; run again
only to change them): small images of each format with metadata, the conformance test's tiny
TF.js models as model.json + NUL + one shard, and the built-in presets' parameters."""
import json, os, struct, zlib
import cv2
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, '..', '..')
out = os.path.join(here, 'corpus')
meta = json.dumps({"schema": "inceptionist.dream/2", "steps": 2, "seed": 7})

def put(kind, name, data):
    os.makedirs(os.path.join(out, kind), exist_ok=True)
    with open(os.path.join(out, kind, name), 'wb') as f:
        f.write(data)

# Images: a 12 x 8 gradient in every format readImage meets, some with metadata.
img = np.zeros((8, 12, 3), np.uint8)
img[:, :, 0] = np.arange(12) * 20
img[:, :, 1] = (np.arange(8) * 30)[:, None]
for ext in ['.png', '.jpg', '.tif', '.bmp', '.ppm', '.webp']:
    ok, data = cv2.imencode(ext, img)
    assert ok
    put('image', 'gradient' + ext, data.tobytes())
ok, grey16 = cv2.imencode('.png', (np.arange(96, dtype=np.uint16).reshape(8, 12) * 600))
put('image', 'grey16.png', grey16.tobytes())

def chunk(kind, body):
    c = kind + body
    return struct.pack('>I', len(body)) + c + struct.pack('>I', zlib.crc32(c) & 0xffffffff)

png = cv2.imencode('.png', img)[1].tobytes()
ihdr_end = 8 + 8 + 13 + 4
itxt = chunk(b'iTXt', b'inceptionist\0\0\0\0\0' + meta.encode())
phys = chunk(b'pHYs', struct.pack('>IIB', 11811, 11811, 1))
put('image', 'metadata.png', png[:ihdr_end] + itxt + phys + png[ihdr_end:])
jpg = cv2.imencode('.jpg', img)[1].tobytes()
body = b'inceptionist:' + meta.encode()
com = b'\xff\xfe' + struct.pack('>H', len(body) + 2) + body
put('image', 'metadata.jpg', jpg[:20] + com + jpg[20:])

# TF.js models: model.json with one shard, NUL, the shard.
for name in ['tiny_uint8', 'tiny_uint16', 'tiny_float16']:
    d = os.path.join(root, 'tests', 'data', 'conformance', name)
    model = json.load(open(os.path.join(d, 'model.json')))
    shard = b''
    for group in model['weightsManifest']:
        for p in group['paths']:
            shard += open(os.path.join(d, p), 'rb').read()
        group['paths'] = []
    model['weightsManifest'][0]['paths'] = ['group1-shard1of1.bin']
    put('tfjs', name, json.dumps(model, separators=(',', ':')).encode() + b'\0' + shard)
put('tfjs', 'manifest', open(os.path.join(root, 'models', 'inception_v3.manifest.json'), 'rb').read()
    if os.path.exists(os.path.join(root, 'models', 'inception_v3.manifest.json')) else b'{}')

# Parameters: the built-in presets' parameters, a version 1 file and a chain.
presets = os.path.join(root, 'resources', 'presets')
for f in sorted(os.listdir(presets)):
    doc = json.load(open(os.path.join(presets, f)))
    put('params', f, json.dumps(doc.get('params', doc)).encode())
put('params', 'version1.json', b'{"model": "inception_v3", "octaves": 3, "layers": [{"name": "mixed3"}]}')
put('params', 'chain.json', json.dumps({"schema": "inceptionist.dream/2", "seed": 2, "chain": [
    {"schema": "inceptionist.dream/2", "seed": 1, "layers": [{"name": "mixed4", "weight": 0.5,
                                                            "channels": [3, 97]}]}]}).encode())
