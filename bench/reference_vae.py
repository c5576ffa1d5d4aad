#!/usr/bin/python3
"""PyTorch reference for the LatentLab training benchmark.

The 784-400-20 MLP VAE of pytorch/examples (vae/main.py), trained the fast way:
the whole data set preloaded as one float tensor, batches sliced from a random
permutation, Adam. Prints the same JSON lines as `latentlab-cli train`.
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class VAE(nn.Module):
    def __init__(self, latent=20):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, latent)
        self.fc22 = nn.Linear(400, latent)
        self.fc3 = nn.Linear(latent, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)

    load = lambda name: torch.from_numpy(read_idx(f"{a.data}/{name}-images-idx3-ubyte.gz").copy())
    train = load("train").view(-1, 784).float().div_(255)
    test = load("t10k").view(-1, 784).float().div_(255)
    model = VAE(a.latent)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    total_seconds = 0.0
    for epoch in range(1, a.epochs + 1):
        model.train()
        start = time.perf_counter()
        train_loss = 0.0
        for idx in torch.randperm(len(train)).split(a.batch):
            x = train[idx]
            opt.zero_grad()
            recon, mu, logvar = model(x)
            loss = loss_function(recon, x, mu, logvar)
            loss.backward()
            train_loss += loss.item()
            opt.step()
        seconds = time.perf_counter() - start
        total_seconds += seconds
        model.eval()
        with torch.no_grad():
            test_loss = 0.0
            for x in test.split(1000):
                recon, mu, logvar = model(x)
                test_loss += loss_function(recon, x, mu, logvar).item()
        print(json.dumps({"epoch": epoch, "seconds": seconds, "train_loss": train_loss / len(train),
                          "test_loss": test_loss / len(test)}), flush=True)
    print(json.dumps({"epochs": a.epochs, "train_seconds": total_seconds, "test_loss": test_loss / len(test)}))


if __name__ == "__main__":
    main()
