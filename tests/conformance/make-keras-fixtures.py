#!/usr/bin/python3
"""Writes a TensorFlow.js layers model (model.json + weight shards) as a Keras 2 HDF5 file, laid
out as Keras 2 itself writes one, so the Keras .h5 importer can be checked against the TF.js path
on the same weights. There is no TensorFlow here: the layout is written with h5py.

  make-keras-fixtures.py MODEL_DIR OUT.h5                 whole model (model.save)
  make-keras-fixtures.py MODEL_DIR OUT.h5 --weights-only  weights only (model.save_weights)
      [--up-to LAYER] [--head UNITS] [--seed N]           Keras Applications form: the layers
                                                          LAYER depends on, then optionally an
                                                          ImageNet-style head ('avg_pool',
                                                          'predictions') with seeded weights
      [--shrink LAYER]                                    halve LAYER's kernel's last axis
  make-keras-fixtures.py --classifier OUT.h5 [--seed N]   a small classifier: two
                                                          convolutions, global pooling, a
                                                          5-class Dense softmax head
  make-keras-fixtures.py --imagenet-classifier OUT.h5     the same with a 1000-class head in
      [--seed N]                                          ImageNet's order: barbell reads
                                                          horizontal edges, goldfish red, tree
                                                          frog green, jellyfish blue, volcano
                                                          darkness, castle vertical edges; the
                                                          other classes small seeded noise

Quantized weights are expanded as the engine expands them (q * scale + min in double precision,
then float32), so both paths see bit-identical weights. Needs /usr/bin/python3 with numpy and
h5py (Debian python3-h5py).
"""
import argparse
import json
import os

import h5py
import numpy as np

# The order Keras lists each layer type's weights in (its `weight_names`).
KERAS_ORDER = ["kernel", "depthwise_kernel", "pointwise_kernel", "bias",
               "gamma", "beta", "moving_mean", "moving_variance"]


def read_tfjs(model_dir):
    """The model config and {layer: [(param, array)]} of a TF.js layers model."""
    with open(os.path.join(model_dir, "model.json")) as f:
        doc = json.load(f)
    topology = doc["modelTopology"]
    config = topology.get("model_config", topology)
    config = {"class_name": config["class_name"], "config": config["config"]}
    weights = {}
    for group in doc["weightsManifest"]:
        raw = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for entry in group["weights"]:
            count = int(np.prod(entry["shape"])) if entry["shape"] else 1
            quant = entry.get("quantization")
            storage = quant["dtype"] if quant else entry.get("dtype", "float32")
            if storage == "float32":
                values = np.frombuffer(raw, np.float32, count, offset)
                offset += 4 * count
            elif storage == "float16":
                values = np.frombuffer(raw, np.float16, count, offset).astype(np.float32)
                offset += 2 * count
            else:
                kind, width = (np.uint8, 1) if storage == "uint8" else (np.uint16, 2)
                q = np.frombuffer(raw, kind, count, offset).astype(np.float64)
                values = (q * quant["scale"] + quant["min"]).astype(np.float32)
                offset += width * count
            layer, param = entry["name"].split("/")[-2:]
            weights.setdefault(layer, []).append((param, values.reshape(entry["shape"])))
    for params in weights.values():
        params.sort(key=lambda p: KERAS_ORDER.index(p[0]))
    return config, weights


def layers_up_to(config, end):
    layers = config["config"]["layers"]
    by_name = {l["name"]: l for l in layers}
    needed, stack = set(), [end]
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        for call in by_name[name]["inbound_nodes"]:
            stack.extend(inbound[0] for inbound in call)
    return [l["name"] for l in layers if l["name"] in needed]


def name_list(names):
    """A list of names as Keras 2 (with h5py 2) stored it: fixed-length byte strings, and an
    empty list as an empty float64 array (what numpy makes of [])."""
    return np.array([n.encode("utf8") for n in names]) if names else np.array([])


def write_layer_groups(parent, names, weights):
    """Keras 2's save_weights_to_hdf5_group: a group per layer, its `weight_names`, datasets."""
    parent.attrs["layer_names"] = name_list(names)
    parent.attrs["backend"] = b"tensorflow"
    parent.attrs["keras_version"] = b"2.2.4"
    for name in names:
        group = parent.create_group(name)
        params = weights.get(name, [])
        weight_names = [f"{name}/{param}:0" for param, _ in params]
        group.attrs["weight_names"] = name_list(weight_names)
        for (param, values), weight_name in zip(params, weight_names):
            group.create_dataset(weight_name, data=values)


# ImageNet classes the 1000-class fixture draws clearly, with the features they read.
IMAGENET_FEATURES = {422: [4, 5], 1: [0], 31: [1], 107: [2], 980: [3], 483: [6, 7]}


def classifier(seed, imagenet=False):
    """A small Keras classifier whose classes a picture can clearly favour: the first convolution
    passes red, green, blue, darkness and horizontal and vertical edges (both signs), the
    second keeps them (twice), global pooling averages them, and the head's five classes "red",
    "green", "blue", "dark" and "stripes" (horizontal edges) each read their own, held back a
    little by the rest. Small seeded noise on every weight keeps it from being too regular."""
    rng = np.random.default_rng(seed)

    def layer(class_name, name, inputs, **config):
        config = dict(name=name, trainable=True, **config)
        return {"name": name, "class_name": class_name, "config": config,
                "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]] if inputs else []}

    conv = dict(padding="same", data_format="channels_last", dilation_rate=[1, 1], use_bias=True)
    layers = [
        layer("InputLayer", "input_1", [], batch_input_shape=[None, None, None, 3],
              dtype="float32", sparse=False),
        layer("Conv2D", "conv1", ["input_1"], filters=8, kernel_size=[3, 3], strides=[1, 1],
              activation="relu", **conv),
        layer("Conv2D", "conv2", ["conv1"], filters=16, kernel_size=[3, 3], strides=[2, 2],
              activation="relu", **conv),
        layer("GlobalAveragePooling2D", "gap", ["conv2"], data_format="channels_last"),
        layer("Dense", "predictions", ["gap"], units=1000 if imagenet else 5,
              activation="softmax", use_bias=True),
    ]
    config = {"class_name": "Model", "config": {
        "name": "classifier", "layers": layers,
        "input_layers": [["input_1", 0, 0]], "output_layers": [["predictions", 0, 0]]}}

    k1 = np.zeros((3, 3, 3, 8))
    b1 = np.zeros(8)
    for c in range(3):
        k1[1, 1, c, c] = 1.0                 # red, green, blue
        k1[1, 1, c, 3] = -1.0 / 3            # darkness: 1 - mean
        k1[0, 1, c, 4], k1[2, 1, c, 4] = 1.0, -1.0   # horizontal edges, both signs
        k1[0, 1, c, 5], k1[2, 1, c, 5] = -1.0, 1.0
        k1[1, 0, c, 6], k1[1, 2, c, 6] = 1.0, -1.0   # vertical edges, both signs
        k1[1, 0, c, 7], k1[1, 2, c, 7] = -1.0, 1.0
    b1[3] = 1.0
    k2 = np.zeros((3, 3, 8, 16))
    for j in range(16):
        k2[1, 1, j % 8, j] = 1.0
    if imagenet:
        head = np.zeros((16, 1000))
        for k, features in IMAGENET_FEATURES.items():
            head[:, k] = -0.2
            for f in features:
                head[f, k] = head[f + 8, k] = 1.0
    else:
        head = np.full((16, 5), -0.2)
        for k, features in enumerate([[0], [1], [2], [3], [4, 5]]):
            for f in features:
                head[f, k] = head[f + 8, k] = 1.0
    noisy = lambda a, s: a + rng.normal(0, s, a.shape)
    weights = {
        "conv1": [("kernel", noisy(k1, 0.02)), ("bias", b1)],
        "conv2": [("kernel", noisy(k2, 0.02)), ("bias", np.zeros(16))],
        "predictions": [("kernel", noisy(head, 0.02)), ("bias", np.zeros(head.shape[1]))],
    }
    weights = {k: [(p, v.astype(np.float32)) for p, v in ps] for k, ps in weights.items()}
    return config, weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", nargs="?")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--classifier", metavar="OUT.h5")
    parser.add_argument("--imagenet-classifier", metavar="OUT.h5")
    parser.add_argument("--weights-only", action="store_true")
    parser.add_argument("--up-to")
    parser.add_argument("--head", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shrink")
    parser.add_argument("--fixed-length-config", action="store_true",
                        help="store model_config as a fixed-length string (h5py 2 did)")
    args = parser.parse_args()

    if args.classifier or args.imagenet_classifier:
        config, weights = classifier(args.seed, imagenet=bool(args.imagenet_classifier))
        args.out = args.classifier or args.imagenet_classifier
        args.weights_only = False
    elif not args.out:
        parser.error("MODEL_DIR and OUT.h5 are needed")
    else:
        config, weights = read_tfjs(args.model_dir)
    if args.shrink:
        params = weights[args.shrink]
        params[0] = (params[0][0], np.ascontiguousarray(params[0][1][..., ::2]))
    with h5py.File(args.out, "w") as f:
        if not args.weights_only:
            text = json.dumps(config).encode("utf8")
            f.attrs["keras_version"] = b"2.2.4"
            f.attrs["backend"] = b"tensorflow"
            f.attrs["model_config"] = np.bytes_(text) if args.fixed_length_config else text
            names = [l["name"] for l in config["config"]["layers"]]
            write_layer_groups(f.create_group("model_weights"), names, weights)
            return
        names = [l["name"] for l in config["config"]["layers"]]
        if args.up_to:
            names = layers_up_to(config, args.up_to)
        if args.head:
            rng = np.random.default_rng(args.seed)
            inputs = weights[names[-1]][0][1].shape[-1] if args.up_to is None else 2048
            weights["predictions"] = [
                ("kernel", rng.normal(0, 0.02, (inputs, args.head)).astype(np.float32)),
                ("bias", rng.normal(0, 0.1, (args.head,)).astype(np.float32))]
            names += ["avg_pool", "predictions"]
        write_layer_groups(f, names, weights)


if __name__ == "__main__":
    main()
