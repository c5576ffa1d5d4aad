#!/usr/bin/python3
"""Trains the 784-400-20 MLP VAE on Fashion-MNIST with LatentLab and with the
PyTorch reference (reference_vae.py), same settings, one after the other in one
run, and prints seconds per epoch side by side, their ratio, and LatentLab's
achieved GFLOP/s next to the machine's peak."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def epochs_of(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    return [l for l in lines if "epoch" in l], lines[-1]


def flops_per_epoch(images=60000, pixels=784, hidden=400, latent=20):
    """Multiply-adds of one training epoch, counted as 2 FLOPs each: forward,
    backward for activations (not into the input layer), backward for weights."""
    layers = [(pixels, hidden), (hidden, latent), (hidden, latent), (latent, hidden), (hidden, pixels)]
    forward = sum(2 * i * o for i, o in layers)
    weight_grads = forward
    input_grads = forward - 2 * pixels * hidden  # no gradient into the images
    return images * (forward + weight_grads + input_grads)


def peak_gflops(threads):
    """Cores x clock x FP32 FLOPs per cycle (two 256-bit FMA pipes: 32 with AVX2 or
    AVX-512 on Zen 4; 16 without FMA)."""
    mhz, flags = 0.0, ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("cpu MHz") and not mhz:
                mhz = float(line.split(":")[1])
            if line.startswith("flags") and not flags:
                flags = line
    per_cycle = 32 if " fma" in flags and " avx2" in flags else 16
    return threads * mhz / 1000 * per_cycle


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--keep-model", help="where to keep LatentLab's trained model")
    a = p.parse_args()
    settings = ["--epochs", str(a.epochs), "--batch", "128", "--lr", "1e-3", "--seed", "1", "--threads", str(a.threads)]

    with tempfile.TemporaryDirectory() as tmp:
        model = a.keep_model or os.path.join(tmp, "bench.latentlab")
        ours, ours_summary = epochs_of([a.cli, "train", "--dataset", "fashion-mnist", "--arch", "mlp", "--latent", "20",
                                        "--device", "cpu", "--out", model] + settings)
    ref, ref_summary = epochs_of([sys.executable, os.path.join(HERE, "reference_vae.py")] + settings)

    ours_s = [e["seconds"] for e in ours]
    ref_s = [e["seconds"] for e in ref]
    print(f"{'epoch':>5} {'LatentLab s':>12} {'PyTorch s':>10}")
    for i, (o, r) in enumerate(zip(ours_s, ref_s), 1):
        print(f"{i:>5} {o:>12.3f} {r:>10.3f}")
    mean_ours, mean_ref = statistics.mean(ours_s), statistics.mean(ref_s)
    gflops = flops_per_epoch() / mean_ours / 1e9
    peak = peak_gflops(a.threads)
    result = {
        "epochs": a.epochs,
        "threads": a.threads,
        "latentlab_seconds_per_epoch": round(mean_ours, 3),
        "pytorch_seconds_per_epoch": round(mean_ref, 3),
        "ratio": round(mean_ours / mean_ref, 3),
        "ratio_median": round(statistics.median(ours_s) / statistics.median(ref_s), 3),
        "latentlab_test_loss": round(ours_summary["test_loss"], 2),
        "pytorch_test_loss": round(ref_summary["test_loss"], 2),
        "gflop_per_epoch": round(flops_per_epoch() / 1e9, 1),
        "latentlab_gflops": round(gflops, 1),
        "peak_gflops": round(peak, 1),
        "share_of_peak": round(gflops / peak, 3),
    }
    print(f"\nLatentLab {mean_ours:.3f} s/epoch, PyTorch {mean_ref:.3f} s/epoch: ratio {result['ratio']:.2f} "
          f"(target <= 1.0); {gflops:.0f} GFLOP/s of a {peak:.0f} GFLOP/s peak ({100 * gflops / peak:.0f}%)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
