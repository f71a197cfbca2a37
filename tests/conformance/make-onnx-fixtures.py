#!/usr/bin/python3
"""Regenerates the ONNX fixtures under tests/data/conformance: small ONNX models and the
activations (and input gradients) PyTorch computes for them, which test_onnx_import compares the
engine against. Debian's python3-torch, python3-torchvision and python3-onnx; no downloads.

  tests/conformance/make-onnx-fixtures.py [OUT_DIR]

- onnx_ops: a hand-built graph with every operator the importer reads (asymmetric and automatic
  pads, groups, dilations, LRN, ceil-mode pooling, count_include_pad, a PyTorch-style constant
  subgraph computing a Pad's pads, float16 weights, external data). References come from
  torch.nn.functional, written here from the ONNX operator definitions.
- googlenet_opset9, googlenet_opset17: torchvision's GoogLeNet building blocks (BasicConv2d,
  Inception, ceil-mode pooling) at small widths, exported by torch.onnx.
- resnet_opset13: torchvision's ResNet blocks (BasicBlock with a downsampling shortcut).
- onnx_unsupported: a HardSwish node, which the importer must refuse by name.
- zoo_googlenet: the node names of the ONNX model zoo's Caffe GoogLeNet (conv1/7x7_s2,
  inception_4c/output, ...) on a narrow network with random weights, for recognising it.

The fixtures are committed (a few hundred KB); CI does not run this script.
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from torchvision.models.googlenet import BasicConv2d, Inception
from torchvision.models.resnet import BasicBlock

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "data", "conformance")


def test_input(h, w):
    """The image the test feeds: RGB in [0, 1], NCHW, the same formula as nothing else."""
    c, y, x = np.meshgrid(np.arange(3), np.arange(h), np.arange(w), indexing="ij")
    img = 0.5 + 0.45 * np.sin(0.37 * y + 0.61 * x + 1.3 * c) * np.cos(0.11 * x * (c + 1))
    return torch.tensor(img[None].astype(np.float32))


def engine_layout(t):
    """Activations as the engine reports them: NHWC for images, N×C for vectors."""
    t = t.detach()
    if t.dim() == 4:
        t = t.permute(0, 2, 3, 1)
    return t.contiguous().numpy().astype(np.float32)


def write_fixture(name, x, outputs, gradients, generator):
    """outputs, gradients: {layer: tensor}; gradients are d mean(layer²) / d input."""
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    engine_layout(x).tofile(os.path.join(d, "input.f32"))
    doc = {
        "generator": generator,
        "input": {"shape": list(engine_layout(x).shape), "file": "input.f32",
                  "range": "[0, 1] RGB; the manifest's preprocessing is 'unit'"},
        "outputs": [],
        "gradients": [],
    }
    for layer, t in outputs.items():
        a = engine_layout(t)
        f = layer.replace("/", "_") + ".f32"
        a.tofile(os.path.join(d, f))
        doc["outputs"].append({"layer": layer, "shape": list(a.shape), "file": f})
    for layer, g in gradients.items():
        a = engine_layout(g)
        f = "grad_" + layer.replace("/", "_") + ".f32"
        a.tofile(os.path.join(d, f))
        doc["gradients"].append({"layer": layer, "shape": list(a.shape), "file": f,
                                 "objective": "mean of the squared activations"})
    with open(os.path.join(d, "fixture.json"), "w") as out:
        json.dump(doc, out, indent=1)
    with open(os.path.join(d, "manifest.json"), "w") as out:
        json.dump({"display_name": name, "preprocessing": "unit",
                   "provenance": {"source": "tests/conformance/make-onnx-fixtures.py",
                                  "licence": "MIT"}}, out, indent=1)
    return d


def input_gradients(fn, x, layers):
    grads = {}
    for layer in layers:
        xi = x.clone().requires_grad_(True)
        act = fn(xi)[layer]
        (act.pow(2).mean()).backward()
        grads[layer] = xi.grad
    return grads


# ---------------------------------------------------------------------------------------------
# onnx_ops: every operator, by hand


def make_onnx_ops():
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    H, W = 15, 17
    x = test_input(H, W)

    def rand(*shape, scale=0.5):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    w1 = rand(8, 3, 3, 3).astype(np.float16)  # stored as float16
    b1 = rand(8, scale=0.1)
    w2 = rand(8, 4, 3, 3, scale=0.3)  # stored in an external data file
    b2 = rand(8, scale=0.1)
    bn_scale, bn_bias = rand(8) + 1.0, rand(8, scale=0.2)
    bn_mean, bn_var = rand(8, scale=0.2), np.abs(rand(8)) + 0.5
    w3 = rand(6, 8, 1, 1)
    w4 = rand(6, 8, 2, 2)
    per_channel = rand(1, 28, 1, 1) + 1.0
    wg, cg = rand(10, 28), rand(10, scale=0.1)
    wm = rand(10, 7)

    inits = [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
             numpy_helper.from_array(b2, "b2"), numpy_helper.from_array(bn_scale, "bn_scale"),
             numpy_helper.from_array(bn_bias, "bn_bias"), numpy_helper.from_array(bn_mean, "bn_mean"),
             numpy_helper.from_array(bn_var, "bn_var"), numpy_helper.from_array(w3, "w3"),
             numpy_helper.from_array(w4, "w4"), numpy_helper.from_array(wg, "wg"),
             numpy_helper.from_array(cg, "cg"), numpy_helper.from_array(wm, "wm")]
    w2_tensor = numpy_helper.from_array(w2, "w2")
    w2_tensor.ClearField("raw_data")
    w2_tensor.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "model.weights"), ("offset", "16"), ("length", str(w2.nbytes))):
        entry = w2_tensor.external_data.add()
        entry.key, entry.value = k, v
    inits.append(w2_tensor)

    def const(name, value):
        return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(value))

    i64 = lambda v: np.array(v, dtype=np.int64)
    torch_pad = [1, 2, 0, 1]  # F.pad order: left, right, top, bottom
    nodes = [
        # The pads of a Pad, computed the way torch.onnx writes F.pad (opset 11 and later).
        const("pad_torch", i64(torch_pad)),
        helper.make_node("Shape", ["pad_torch"], ["pad_shape"]),
        const("zero", i64(0)),
        helper.make_node("Gather", ["pad_shape", "zero"], ["pad_len"], axis=0),
        helper.make_node("Shape", ["image"], ["image_shape"]),
        helper.make_node("Size", ["image_shape"], ["rank"]),
        const("two", i64(2)),
        helper.make_node("Mul", ["rank", "two"], ["rank2"]),
        helper.make_node("Sub", ["rank2", "pad_len"], ["extension"]),
        const("axes0", i64([0])),
        helper.make_node("Unsqueeze", ["extension", "axes0"], ["extension1"]),
        helper.make_node("ConstantOfShape", ["extension1"], ["zeros"],
                         value=numpy_helper.from_array(i64([0]))),
        helper.make_node("Concat", ["pad_torch", "zeros"], ["pads_flat"], axis=0),
        const("shape_m1_2", i64([-1, 2])),
        helper.make_node("Reshape", ["pads_flat", "shape_m1_2"], ["pads_pairs"]),
        const("start", i64([-1])), const("end", i64([-(2**63) + 1])), const("step", i64([-1])),
        helper.make_node("Slice", ["pads_pairs", "start", "end", "axes0", "step"], ["pads_flip"]),
        helper.make_node("Transpose", ["pads_flip"], ["pads_t"], perm=[1, 0]),
        const("shape_m1", i64([-1])),
        helper.make_node("Reshape", ["pads_t", "shape_m1"], ["pads_onnx"]),
        helper.make_node("Cast", ["pads_onnx"], ["pads"], to=TensorProto.INT64),
        helper.make_node("Pad", ["image", "pads"], ["pad0"], mode="constant"),
        # Convolutions: asymmetric explicit pads; groups with dilation; automatic pads.
        helper.make_node("Conv", ["pad0", "w1", "b1"], ["conv_asym"], pads=[0, 1, 1, 0]),
        helper.make_node("Relu", ["conv_asym"], ["relu1"]),
        helper.make_node("Conv", ["relu1", "w2", "b2"], ["conv_group_dil"], group=2,
                         dilations=[2, 2], pads=[2, 2, 2, 2], kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization",
                         ["conv_group_dil", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["bn"],
                         epsilon=1e-3),
        helper.make_node("LeakyRelu", ["bn"], ["leaky"], alpha=0.1),
        helper.make_node("LRN", ["leaky"], ["lrn"], size=5, alpha=0.5, beta=0.75, bias=2.0),
        helper.make_node("MaxPool", ["lrn"], ["maxpool_ceil"], kernel_shape=[3, 3],
                         strides=[2, 2], ceil_mode=1),
        helper.make_node("Conv", ["maxpool_ceil", "w3"], ["conv_same_upper"], auto_pad="SAME_UPPER"),
        const("clip_lo", np.array(0, np.float32)), const("clip_hi", np.array(6, np.float32)),
        helper.make_node("Clip", ["conv_same_upper", "clip_lo", "clip_hi"], ["clip6"]),
        helper.make_node("Conv", ["maxpool_ceil", "w4"], ["conv_same_lower"], auto_pad="SAME_LOWER"),
        helper.make_node("Tanh", ["conv_same_lower"], ["tanh"]),
        helper.make_node("AveragePool", ["maxpool_ceil"], ["avgpool_incl"], kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], count_include_pad=1),
        helper.make_node("AveragePool", ["maxpool_ceil"], ["avgpool_excl"], kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1]),
        const("lo2", np.array(-0.3, np.float32)), const("hi2", np.array(0.3, np.float32)),
        helper.make_node("Clip", ["avgpool_excl", "lo2", "hi2"], ["clip_range"]),
        helper.make_node("Sigmoid", ["conv_same_upper"], ["sigmoid"]),
        helper.make_node("Concat", ["clip6", "tanh", "avgpool_incl", "clip_range"], ["concat"],
                         axis=1),
        const("per_channel", per_channel),
        helper.make_node("Mul", ["concat", "per_channel"], ["mul_const"]),
        helper.make_node("Add", ["mul_const", "concat"], ["add"]),
        helper.make_node("Mul", ["add", "concat"], ["mul"]),
        const("tenth", np.array(0.1, np.float32)),
        helper.make_node("Sub", ["mul", "tenth"], ["sub"]),
        const("two_f", np.array(2.0, np.float32)),
        helper.make_node("Div", ["sub", "two_f"], ["div"]),
        helper.make_node("AveragePool", ["div"], ["avgpool_ceil"], kernel_shape=[3, 3],
                         strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1),
        const("flat_shape", i64([1, -1])),
        helper.make_node("Reshape", ["avgpool_ceil", "flat_shape"], ["reshape"]),
        helper.make_node("GlobalAveragePool", ["div"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["flatten"], axis=1),
        helper.make_node("Gemm", ["flatten", "wg", "cg"], ["gemm"], transB=1, alpha=0.5, beta=2.0),
        helper.make_node("Dropout", ["gemm"], ["dropout"]),
        helper.make_node("MatMul", ["dropout", "wm"], ["matmul"]),
        helper.make_node("Identity", ["matmul"], ["identity"]),
        helper.make_node("Softmax", ["identity"], ["softmax"], axis=1),
    ]
    layers = ["pad0", "conv_asym", "relu1", "conv_group_dil", "bn", "leaky", "lrn", "maxpool_ceil",
              "conv_same_upper", "clip6", "conv_same_lower", "tanh", "avgpool_incl", "clip_range",
              "sigmoid", "concat", "mul_const", "add", "mul", "sub", "div", "avgpool_ceil",
              "reshape", "gap", "flatten", "gemm", "dropout", "matmul", "identity", "softmax"]
    graph = helper.make_graph(
        nodes, "onnx_ops",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, H, W])],
        [helper.make_tensor_value_info("softmax", TensorProto.FLOAT, [1, 7])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="make-onnx-fixtures.py")

    w1f = torch.tensor(w1.astype(np.float32))
    t = {k: torch.tensor(v) for k, v in dict(b1=b1, w2=w2, b2=b2, bn_scale=bn_scale,
                                              bn_bias=bn_bias, bn_mean=bn_mean, bn_var=bn_var,
                                              w3=w3, w4=w4, per_channel=per_channel, wg=wg,
                                              cg=cg, wm=wm).items()}

    def reference(image):
        r = {}
        r["pad0"] = F.pad(image, torch_pad)
        # ONNX pads [top, left, bottom, right] = [0, 1, 1, 0]; F.pad takes left, right, top, bottom.
        r["conv_asym"] = F.conv2d(F.pad(r["pad0"], (1, 0, 0, 1)), w1f, t["b1"])
        r["relu1"] = F.relu(r["conv_asym"])
        r["conv_group_dil"] = F.conv2d(r["relu1"], t["w2"], t["b2"], padding=2, dilation=2, groups=2)
        r["bn"] = F.batch_norm(r["conv_group_dil"], t["bn_mean"], t["bn_var"], t["bn_scale"],
                               t["bn_bias"], False, 0.0, 1e-3)
        r["leaky"] = F.leaky_relu(r["bn"], 0.1)
        r["lrn"] = F.local_response_norm(r["leaky"], 5, alpha=0.5, beta=0.75, k=2.0)
        r["maxpool_ceil"] = F.max_pool2d(r["lrn"], 3, 2, ceil_mode=True)
        r["conv_same_upper"] = F.conv2d(r["maxpool_ceil"], t["w3"])
        r["clip6"] = F.relu6(r["conv_same_upper"])
        # SAME_LOWER with a 2×2 kernel: the one pixel of padding goes before.
        r["conv_same_lower"] = F.conv2d(F.pad(r["maxpool_ceil"], (1, 0, 1, 0)), t["w4"])
        r["tanh"] = torch.tanh(r["conv_same_lower"])
        r["avgpool_incl"] = F.avg_pool2d(r["maxpool_ceil"], 3, 1, 1, count_include_pad=True)
        r["avgpool_excl"] = F.avg_pool2d(r["maxpool_ceil"], 3, 1, 1, count_include_pad=False)
        r["clip_range"] = torch.clamp(r["avgpool_excl"], -0.3, 0.3)
        r["sigmoid"] = torch.sigmoid(r["conv_same_upper"])
        r["concat"] = torch.cat([r["clip6"], r["tanh"], r["avgpool_incl"], r["clip_range"]], 1)
        r["mul_const"] = r["concat"] * t["per_channel"]
        r["add"] = r["mul_const"] + r["concat"]
        r["mul"] = r["add"] * r["concat"]
        r["sub"] = r["mul"] - 0.1
        r["div"] = r["sub"] / 2.0
        r["avgpool_ceil"] = F.avg_pool2d(r["div"], 3, 2, 1, ceil_mode=True, count_include_pad=True)
        r["reshape"] = r["avgpool_ceil"].reshape(1, -1)
        r["gap"] = r["div"].mean((2, 3))
        r["flatten"] = r["gap"]
        r["gemm"] = 0.5 * r["flatten"] @ t["wg"].T + 2.0 * t["cg"]
        r["dropout"] = r["gemm"]
        r["matmul"] = r["dropout"] @ t["wm"]
        r["identity"] = r["matmul"]
        r["softmax"] = torch.softmax(r["identity"], 1)
        return r

    with torch.no_grad():
        ref = reference(x)
    grads = input_gradients(reference, x, ["conv_asym", "lrn", "maxpool_ceil", "tanh",
                                           "avgpool_ceil"])
    d = write_fixture("onnx_ops", x, {l: ref[l] for l in layers}, grads,
                      "torch %s functional ops, by hand from the ONNX operator definitions"
                      % torch.__version__)
    # The external weights, after 16 bytes of something else (the offset is honoured).
    with open(os.path.join(d, "model.weights"), "wb") as out:
        out.write(b"\0" * 16 + w2.tobytes())
    onnx.save(model, os.path.join(d, "model.onnx"))
    onnx.checker.check_model(os.path.join(d, "model.onnx"))


# ---------------------------------------------------------------------------------------------
# torchvision's blocks, exported by torch.onnx


class MiniGoogLeNet(nn.Module):
    """GoogLeNet's stem and two Inception blocks at a tenth of the widths."""

    def __init__(self):
        super().__init__()
        self.conv1 = BasicConv2d(3, 8, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(8, 8, kernel_size=1)
        self.conv3 = BasicConv2d(8, 16, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(16, 8, 8, 12, 4, 6, 6)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(32, 12, 8, 16, 4, 8, 8)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(44, 10)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        a = self.inception3a(x)
        b = self.inception4a(self.maxpool3(a))
        logits = self.fc(self.dropout(torch.flatten(self.avgpool(b), 1)))
        return a, b, logits


class MiniResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = BasicBlock(8, 8)
        down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
        self.layer2 = BasicBlock(8, 16, stride=2, downsample=down)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        a = self.layer1(x)
        b = self.layer2(a)
        return a, b, self.fc(torch.flatten(self.avgpool(b), 1))


def randomise_statistics(net):
    """Batch norms with statistics of their own, so folding them is tested."""
    g = torch.Generator().manual_seed(3)
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.2)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=g) * 0.2)


def export(name, net, names, size, opset, gradient_layers):
    torch.manual_seed(0)
    net.eval()
    randomise_statistics(net)
    x = test_input(size, size)
    with torch.no_grad():
        outs = net(x)
    ref = dict(zip(names, outs))
    grads = input_gradients(lambda xi: dict(zip(names, net(xi))), x, gradient_layers)
    d = write_fixture(name, x, ref, grads, "torch %s, torch.onnx.export opset %d"
                      % (torch.__version__, opset))
    torch.onnx.export(net, x, os.path.join(d, "model.onnx"), opset_version=opset,
                      input_names=["image"], output_names=names)
    onnx.checker.check_model(os.path.join(d, "model.onnx"))


def make_zoo_googlenet():
    """The model zoo's Caffe GoogLeNet names its node outputs after Caffe's blobs with a suffix
    (conv1/7x7_s2_1, inception_4c/output_1, prob_1); a narrow stand-in with random weights."""
    rng = np.random.default_rng(5)
    nodes, inits = [], []

    def conv(name, x, cin, cout, k, stride=1, pad=0):
        w = numpy_helper.from_array((rng.standard_normal((cout, cin, k, k)) * 0.2)
                                    .astype(np.float32), name + "_w")
        b = numpy_helper.from_array(np.zeros(cout, np.float32), name + "_b")
        inits.extend([w, b])
        nodes.append(helper.make_node("Conv", [x, w.name, b.name], [name + "_1"],
                                      kernel_shape=[k, k], strides=[stride, stride],
                                      pads=[pad] * 4))
        nodes.append(helper.make_node("Relu", [name + "_1"], [name + "_2"]))
        return name + "_2"

    x = conv("conv1/7x7_s2", "data_0", 3, 8, 7, 2, 3)
    nodes.append(helper.make_node("MaxPool", [x], ["pool1/3x3_s2_1"], kernel_shape=[3, 3],
                                  strides=[2, 2], ceil_mode=1))
    nodes.append(helper.make_node("LRN", ["pool1/3x3_s2_1"], ["pool1/norm1_1"], size=5,
                                  alpha=1e-4, beta=0.75))
    x = conv("conv2/3x3", "pool1/norm1_1", 8, 8, 3, 1, 1)
    channels = 8
    for block in ["3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"]:
        a = conv("inception_%s/1x1" % block, x, channels, 4, 1)
        b = conv("inception_%s/3x3" % block, x, channels, 4, 3, 1, 1)
        nodes.append(helper.make_node("Concat", [a, b], ["inception_%s/output_1" % block], axis=1))
        x, channels = "inception_%s/output_1" % block, 8
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["pool5/7x7_s1_1"]))
    nodes.append(helper.make_node("Flatten", ["pool5/7x7_s1_1"], ["OC2_DUMMY_0"]))
    w = numpy_helper.from_array(rng.standard_normal((10, 8)).astype(np.float32), "fc_w")
    inits.append(w)
    nodes.append(helper.make_node("Gemm", ["OC2_DUMMY_0", "fc_w"], ["loss3/classifier_1"],
                                  transB=1))
    nodes.append(helper.make_node("Softmax", ["loss3/classifier_1"], ["prob_1"]))
    graph = helper.make_graph(
        nodes, "googlenet",
        [helper.make_tensor_value_info("data_0", TensorProto.FLOAT, [1, 3, 224, 224])],
        [helper.make_tensor_value_info("prob_1", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    d = os.path.join(OUT, "zoo_googlenet")
    os.makedirs(d, exist_ok=True)
    onnx.save(model, os.path.join(d, "model.onnx"))
    onnx.checker.check_model(os.path.join(d, "model.onnx"))


def make_unsupported():
    """A model with an operator the importer does not read, to be refused by name."""
    w = numpy_helper.from_array(np.ones((2, 3, 1, 1), np.float32), "w")
    nodes = [helper.make_node("Conv", ["image", "w"], ["conv"]),
             helper.make_node("HardSwish", ["conv"], ["swish"], name="mystery_node")]
    graph = helper.make_graph(
        nodes, "unsupported",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("swish", TensorProto.FLOAT, [1, 2, 8, 8])], [w])
    d = os.path.join(OUT, "onnx_unsupported")
    os.makedirs(d, exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    onnx.save(model, os.path.join(d, "model.onnx"))
    onnx.checker.check_model(os.path.join(d, "model.onnx"))


if __name__ == "__main__":
    make_unsupported()
    make_onnx_ops()
    export("googlenet_opset9", MiniGoogLeNet(), ["inception_3a", "inception_4a", "logits"], 64, 9,
           ["inception_4a"])
    export("googlenet_opset17", MiniGoogLeNet(), ["inception_3a", "inception_4a", "logits"], 64,
           17, [])
    export("resnet_opset13", MiniResNet(), ["layer1", "layer2", "logits"], 48, 13, ["layer2"])
    make_zoo_googlenet()
