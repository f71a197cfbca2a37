#!/usr/bin/python3
"""Writes tests/data/conformance/vgg19_narrow/model.onnx: torchvision's VGG-19 convolutional part
(features: 16 convolutions with ReLUs in five blocks of 2, 2, 4, 4, 4, max pooling after each)
with every width divided by 16 and random weights, exported by torch.onnx as one would export
the real network (see README, "VGG-19 for the classic look"). test_style_vgg19 checks the
classic style layers are recognised on it and that a style transfer on it lowers the Gram
distance. Debian's python3-torch and python3-torchvision; nothing is downloaded.

  tests/conformance/make-vgg19-fixture.py [OUT_DIR]

The fixture is committed (about 300 KB); CI does not run this script.
"""
import os
import sys

import torch
from torchvision.models.vgg import cfgs, make_layers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "data", "conformance",
                                                         "vgg19_narrow")

torch.manual_seed(19)
narrow = [v if v == "M" else v // 16 for v in cfgs["E"]]  # "E" is VGG-19
features = make_layers(narrow, batch_norm=False).eval()
for m in features.modules():
    if isinstance(m, torch.nn.Conv2d):  # torchvision's VGG initialisation
        torch.nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        torch.nn.init.constant_(m.bias, 0.05)
os.makedirs(OUT, exist_ok=True)
path = os.path.join(OUT, "model.onnx")
torch.onnx.export(features, torch.zeros(1, 3, 224, 224), path + ".part", opset_version=13,
                  input_names=["image"])
os.replace(path + ".part", path)
print("wrote", path, os.path.getsize(path), "bytes")
