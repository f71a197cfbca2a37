#!/usr/bin/python3
"""A check by hand, not run by CI: full-size torchvision networks (random weights) exported to
ONNX give, through inceptionist-cli inspect --model-file, the channel means PyTorch gives for the
same 128×128 image (imagenet preprocessing, as the file's producer suggests).

  tests/conformance/check-torchvision-onnx.py build/app/inceptionist-cli [WORK_DIR]

Writes the ONNX files (about 200 MB) to WORK_DIR (default /tmp/inceptionist-tvcheck).
"""
import json
import os
import subprocess
import sys

import cv2
import numpy as np
import onnx
import torch
import torchvision

cli = sys.argv[1]
work = sys.argv[2] if len(sys.argv) > 2 else "/tmp/inceptionist-tvcheck"
os.makedirs(work, exist_ok=True)
torch.manual_seed(0)
size = 128
img = (np.random.default_rng(0).random((size, size, 3)) * 255).astype(np.uint8)
image_path = os.path.join(work, "in.png")
cv2.imwrite(image_path, img[:, :, ::-1])
x = torch.tensor(img.astype(np.float32) / 255).permute(2, 0, 1)[None]
x = (x - torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)) / torch.tensor(
    [0.229, 0.224, 0.225]).view(1, 3, 1, 1)
for name, net, opset, module in [
        ("squeezenet", torchvision.models.squeezenet1_0(weights=None), 9, "features.12"),
        ("inception_v3", torchvision.models.inception_v3(weights=None, aux_logits=False,
                                                         init_weights=True), 11, "Mixed_6b"),
        ("resnet50", torchvision.models.resnet50(weights=None), 17, "layer3")]:
    net.eval()
    got = {}
    dict(net.named_modules())[module].register_forward_hook(
        lambda m, i, o: got.__setitem__("a", o.detach()))
    with torch.no_grad():
        net(x)
    ref = got["a"][0].mean((1, 2)).numpy()
    path = os.path.join(work, name + ".onnx")
    torch.onnx.export(net, x, path, opset_version=opset, input_names=["image"])
    parts = module.split(".")
    prefix = "/" + "/".join(".".join(parts[:i + 1]) for i in range(len(parts))) + "/"
    model = onnx.load(path, load_external_data=False)
    layer = [o for n in model.graph.node for o in n.output if o.startswith(prefix)][-1]
    r = subprocess.run([cli, "inspect", image_path, "--model-file", path, "--layer", layer,
                        "--size", str(size), "--top", "0", "--json"],
                       capture_output=True, text=True)
    if r.returncode:
        print(name, "FAILED:", r.stderr.strip())
        continue
    engine = np.zeros_like(ref)
    for c in json.loads(r.stdout)["channels"]:
        engine[c["index"]] = c["mean"]
    print("%s opset %d %s: largest difference of channel means %.2e of the largest" %
          (name, opset, layer, np.abs(engine - ref).max() / np.abs(ref).max()))
