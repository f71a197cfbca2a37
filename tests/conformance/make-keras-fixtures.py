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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("out")
    parser.add_argument("--weights-only", action="store_true")
    parser.add_argument("--up-to")
    parser.add_argument("--head", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shrink")
    parser.add_argument("--fixed-length-config", action="store_true",
                        help="store model_config as a fixed-length string (h5py 2 did)")
    args = parser.parse_args()

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
