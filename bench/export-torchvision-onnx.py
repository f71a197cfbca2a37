#!/usr/bin/python3
"""Exports torchvision networks with random weights to ONNX for the benchmark's import section
(Debian's python3-torch and python3-torchvision; nothing is downloaded).

  bench/export-torchvision-onnx.py OUT_DIR

OUT_DIR/googlenet/model.onnx   torchvision GoogLeNet, 224 px, opset 13
OUT_DIR/vgg16/model.onnx       torchvision VGG16's convolutional part (features), 512 px, opset 13
"""
import os
import sys

import torch
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
nets = {
    "googlenet": (torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True),
                  224),
    "vgg16": (torchvision.models.vgg16(weights=None).features, 512),
}
for name, (net, size) in nets.items():
    path = os.path.join(out, name, "model.onnx")
    if os.path.exists(path):
        continue
    os.makedirs(os.path.dirname(path), exist_ok=True)
    net.eval()
    torch.onnx.export(net, torch.zeros(1, 3, size, size), path + ".part", opset_version=13,
                      input_names=["image"])
    os.replace(path + ".part", path)
    print("exported", path)
