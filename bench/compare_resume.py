#!/usr/bin/env python3
"""Continued training against straight training: the 784-400-20 VAE on Fashion-MNIST,
10 epochs in one run against 5 epochs and then `train --resume` for 5 more, next to a
second straight run with another seed (the run-to-run spread). Prints one JSON line."""
import argparse
import json
import os
import subprocess
import tempfile


def train(cli, args):
    out = subprocess.run([cli, "train", *args], check=True, capture_output=True, text=True).stdout
    lines = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return [l for l in lines if "epoch" in l], lines[-1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", required=True)
    p.add_argument("--threads", default="2")
    p.add_argument("--epochs", type=int, default=10)
    a = p.parse_args()
    common = ["--dataset", "fashion-mnist", "--arch", "mlp", "--latent", "20", "--batch", "128",
              "--lr", "1e-3", "--threads", a.threads]
    half = a.epochs // 2
    with tempfile.TemporaryDirectory() as tmp:
        straight, _ = train(a.cli, common + ["--epochs", str(a.epochs), "--seed", "1", "--out", os.path.join(tmp, "s.latentlab")])
        other, _ = train(a.cli, common + ["--epochs", str(a.epochs), "--seed", "2", "--out", os.path.join(tmp, "o.latentlab")])
        split = os.path.join(tmp, "r.latentlab")
        first, _ = train(a.cli, common + ["--epochs", str(half), "--seed", "1", "--out", split])
        second, _ = train(a.cli, ["--resume", split, "--epochs", str(a.epochs - half), "--threads", a.threads])
    result = {
        "straight_seed1": straight[-1]["test_loss"],
        "straight_seed2": other[-1]["test_loss"],
        "resumed": second[-1]["test_loss"],
        "resumed_epochs": [first[-1]["epoch"], second[-1]["epoch"]],
        "resumed_curve": [e["test_loss"] for e in first + second],
        "straight_curve": [e["test_loss"] for e in straight],
    }
    spread = abs(result["straight_seed1"] - result["straight_seed2"])
    gap = abs(result["resumed"] - result["straight_seed1"])
    print(f"10 epochs straight: {result['straight_seed1']:.2f} (seed 2: {result['straight_seed2']:.2f}, "
          f"spread {spread:.2f}); 5 + --resume 5: {result['resumed']:.2f} (gap {gap:.2f}: "
          f"{'within' if gap <= max(spread, 0.5) else 'OUTSIDE'} the spread)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
