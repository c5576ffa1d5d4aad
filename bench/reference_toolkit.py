#!/usr/bin/python3
"""PyTorch reference for the toolkit benchmark: loads a LatentLab model file (JSON
header + raw float32 weights) into the pytorch/examples VAE and times encoding the
whole of Fashion-MNIST (preloaded as one float tensor) and decoding + composing a
16 x 16 grid on the PCA plane. Prints one JSON line like bench_toolkit."""
import argparse
import json
import statistics
import struct
import time

import numpy as np
import torch

from reference_vae import VAE, read_idx

MAGIC = b"LATENTLAB-MODEL\n"


def load_latentlab(path):
    with open(path, "rb") as f:
        assert f.read(16) == MAGIC, "not a LatentLab model file"
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        weights = np.frombuffer(f.read(), dtype="<f4")
    arch = header["architecture"]
    assert arch["type"] == "mlp" and arch["hidden"] == [400], "the reference is the 784-400-L MLP VAE"
    model = VAE(arch["latent"])
    # LatentLab's tensor names -> the reference's modules, in file order.
    names = {"encoder.0": "fc1", "mu": "fc21", "logvar": "fc22", "decoder.0": "fc3", "decoder.2": "fc4"}
    state, offset = {}, 0
    for t in header["tensors"]:
        count = int(np.prod(t["shape"]))
        if t["name"].startswith("optimizer."):  # Adam's moments, after the weights
            break
        module, kind = t["name"].rsplit(".", 1)
        state[f"{names[module]}.{kind}"] = torch.from_numpy(weights[offset:offset + count].reshape(t["shape"]).copy())
        offset += count
    model.load_state_dict(state)
    return model.eval()


def median_ms(repeats, work):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--tiles", type=int, default=16)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = load_latentlab(a.model)
    images = np.concatenate([read_idx(f"{a.data}/{s}-images-idx3-ubyte.gz") for s in ("train", "t10k")])
    x = torch.from_numpy(images).view(-1, 784).float().div_(255)

    def encode():
        with torch.inference_mode():
            h = torch.relu(model.fc1(x))
            return model.fc21(h), model.fc22(h)

    encode()
    encode_ms = median_ms(5, encode)
    with torch.inference_mode():
        mu = encode()[0]
        mean = mu.mean(0)
        _, s, vh = torch.linalg.svd(mu - mean, full_matrices=False)
        axes = vh[:2] * (s[:2, None] / (len(mu) - 1) ** 0.5)

    n = a.tiles
    centres = (torch.arange(n, dtype=torch.float32) + 0.5) / n * 6 - 3
    pan = [0.0]

    def grid():
        pan[0] += 0.01
        with torch.inference_mode():
            aa = (centres + pan[0]).repeat(n)
            bb = centres.flip(0).repeat_interleave(n)
            z = mean + aa[:, None] * axes[0] + bb[:, None] * axes[1]
            tiles = torch.sigmoid(model.fc4(torch.relu(model.fc3(z)))).mul(255).round().to(torch.uint8)
            tiles = tiles.view(n, n, 28, 28).numpy()
        canvas = np.full((n * 29 - 1, n * 29 - 1), 255, np.uint8)
        for r in range(n):
            for c in range(n):
                canvas[r * 29:r * 29 + 28, c * 29:c * 29 + 28] = tiles[r, c]
        return canvas

    grid_ms = median_ms(200, grid)
    print(json.dumps({"images": len(x), "encode_ms": encode_ms, "tiles": n, "grid_ms": grid_ms,
                      "threads": a.threads}))


if __name__ == "__main__":
    main()
