#!/usr/bin/python3
"""PyTorch reference for the rVAE training-speed benchmark.

The same network as LatentLab's `--arch rvae` (and AtomAI's rVAE): an encoder MLP
with tanh giving mean and log-variance of (angle, dx, dy, z); a decoder that maps
every pixel's coordinates, rotated by the angle and shifted by 0.1 x (dx, dy),
with z through a tanh MLP to that pixel's logit. Bernoulli likelihood, the angle's
prior N(0, s^2), Adam. Reads the images that `latentlab-cli export-dataset --npy`
wrote, preloads them as one tensor and prints the same JSON lines as
`latentlab-cli train` (seconds, images_per_second per epoch).
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class RotationVae(nn.Module):
    def __init__(self, side, content, hidden, rotation_prior, translation_prior):
        super().__init__()
        self.side, self.rotation_prior, self.translation_prior = side, rotation_prior, translation_prior
        layers, width = [], side * side
        for h in hidden:
            layers += [nn.Linear(width, h), nn.Tanh()]
            width = h
        self.encoder = nn.Sequential(*layers)
        self.mu = nn.Linear(width, 3 + content)
        self.logvar = nn.Linear(width, 3 + content)
        self.coordinates = nn.Linear(2, hidden[0])
        self.content = nn.Linear(content, hidden[0], bias=False)
        layers, width = [], hidden[0]
        for h in hidden:
            layers += [nn.Linear(width, h), nn.Tanh()]
            width = h
        self.decoder = nn.Sequential(*layers, nn.Linear(width, 1))
        ys, xs = torch.meshgrid(torch.linspace(1, -1, side), torch.linspace(-1, 1, side), indexing="ij")
        self.register_buffer("grid", torch.stack([xs.reshape(-1), ys.reshape(-1)], 1))

    def decode(self, z):
        phi, shift = z[:, 0], z[:, 1:3] * self.translation_prior
        p = self.grid.unsqueeze(0) - shift.unsqueeze(1)
        cos, sin = torch.cos(phi).unsqueeze(1), torch.sin(phi).unsqueeze(1)
        c = torch.stack([cos * p[..., 0] + sin * p[..., 1], -sin * p[..., 0] + cos * p[..., 1]], 2)
        h = torch.tanh(self.coordinates(c) + self.content(z[:, 3:]).unsqueeze(1))
        return self.decoder(h).view(z.size(0), -1)

    def loss(self, x):
        h = self.encoder(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        recon = F.binary_cross_entropy_with_logits(self.decode(z), x, reduction="sum")
        prior = torch.ones_like(mu)
        prior[:, 0] = self.rotation_prior
        kl = (torch.log(prior) - 0.5 * logvar + (logvar.exp() + mu.square()) / (2 * prior.square()) - 0.5).sum()
        return (recon + kl) / x.size(0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", required=True, help="images.npy from export-dataset --npy")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--latent", type=int, default=2, help="content size")
    p.add_argument("--hidden", default="128,128")
    p.add_argument("--rotation-prior", type=float, default=1.0, help="radians")
    p.add_argument("--translation-prior", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)

    train = torch.from_numpy(np.load(a.images))
    side = int(round(train.size(1) ** 0.5))
    model = RotationVae(side, a.latent, [int(h) for h in a.hidden.split(",")], a.rotation_prior, a.translation_prior)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        total = 0.0
        for idx in torch.randperm(len(train)).split(a.batch):
            opt.zero_grad()
            loss = model.loss(train[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        print(json.dumps({"epoch": epoch, "seconds": seconds, "train_loss": total / len(train),
                          "images_per_second": len(train) / seconds}), flush=True)


if __name__ == "__main__":
    main()
