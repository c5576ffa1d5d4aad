#!/usr/bin/python3
"""The PyTorch side of test_torchscript (Debian's python3-torch).

make OUT        trains pytorch/examples' VAE (vae/main.py: its class, its loss, Adam 1e-3)
                for one short epoch on the first 2,000 Fashion-MNIST training images,
                scripts it with torch.jit.script and saves it with a latentlab.json
                description; the same for a small conv VAE (image input, logit output);
                then the bad files. For fixed inputs it writes PyTorch's outputs as raw
                float32 (x.f32, z.f32 and NAME-mu.f32, NAME-logvar.f32, NAME-decode.f32).
run MODEL OUT   loads MODEL (one LatentLab exported) with torch.jit.load and writes its
                encode and decode of OUT/x.f32 and OUT/z.f32 as OUT/run-*.f32, and its
                latentlab.json as OUT/run-description.json.
"""
import gzip
import json
import os
import sys

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

FASHION = "/usr/share/datasets/fashion-mnist"


class VAE(nn.Module):  # pytorch/examples, vae/main.py, as it is
    def __init__(self):
        super(VAE, self).__init__()

        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5*logvar)
        eps = torch.randn_like(std)
        return mu + eps*std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):  # pytorch/examples, vae/main.py
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


class ConvVAE(nn.Module):
    """A conv VAE that takes [N, 1, 28, 28] images and gives logits."""

    def __init__(self, latent: int = 8):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 16, 4, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 4, 2, 1), nn.ReLU())
        self.mu = nn.Linear(32 * 7 * 7, latent)
        self.logvar = nn.Linear(32 * 7 * 7, latent)
        self.fc = nn.Linear(latent, 32 * 7 * 7)
        self.dec = nn.Sequential(nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 4, 2, 1))

    def encode(self, x):
        h = self.enc(x).flatten(1)
        return self.mu(h), self.logvar(h)

    def decode(self, z):
        return self.dec(self.fc(z).view(-1, 32, 7, 7))

    def forward(self, x):
        mu, logvar = self.encode(x)
        return self.decode(mu), mu, logvar


class OnlyForward(nn.Module):
    def forward(self, x):
        return x


class WrongSignature(nn.Module):  # encode gives one tensor
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 20)

    @torch.jit.export
    def encode(self, x):
        return self.fc(x)

    @torch.jit.export
    def decode(self, z):
        return z

    def forward(self, x):
        return self.encode(x)


def fashion(split, count):
    with gzip.open(f"{FASHION}/{split}-images-idx3-ubyte.gz") as f:
        pixels = np.frombuffer(f.read(), np.uint8, offset=16)
    return torch.from_numpy(pixels[: count * 784].astype(np.float32) / 255).view(count, 1, 28, 28)


def save(module, path, description=None):
    extra = {"latentlab.json": json.dumps(description)} if description is not None else {}
    torch.jit.save(module, path, _extra_files=extra)


def write(path, tensor):
    tensor.detach().contiguous().numpy().astype("<f4").tofile(path)


def make(out):
    torch.manual_seed(1)
    torch.set_num_threads(1)
    train = fashion("train", 2000)
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for batch in train.split(128):  # one short epoch, as vae/main.py trains
        optimizer.zero_grad()
        recon, mu, logvar = model(batch)
        loss = loss_function(recon, batch, mu, logvar)
        loss.backward()
        optimizer.step()
    model.eval()
    scripted = torch.jit.script(model)
    description = {"image": {"channels": 1, "height": 28, "width": 28}, "input": "flat", "latent": 20,
                   "decode_output": "probabilities", "likelihood": "bernoulli", "dataset": "fashion-mnist",
                   "class_names": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                   "Sneaker", "Bag", "Ankle boot"]}
    save(scripted, f"{out}/examples-vae.pt", description)

    conv = ConvVAE()
    conv.eval()
    scripted_conv = torch.jit.script(conv)
    save(scripted_conv, f"{out}/conv-vae.pt",
         {"image": {"channels": 1, "height": 28, "width": 28}, "input": "image", "latent": 8,
          "decode_output": "logits", "dataset": "fashion-mnist"})

    # Fixed inputs: the first 16 test images and 16 codes.
    x = fashion("t10k", 16)
    z = torch.randn(16, 20, generator=torch.Generator().manual_seed(7))
    write(f"{out}/x.f32", x)
    write(f"{out}/z.f32", z)
    with torch.no_grad():
        mu, logvar = scripted.encode(x.view(16, 784))
        write(f"{out}/examples-vae-mu.f32", mu)
        write(f"{out}/examples-vae-logvar.f32", logvar)
        write(f"{out}/examples-vae-decode.f32", scripted.decode(z))
        mu, logvar = scripted_conv.encode(x)
        write(f"{out}/conv-vae-mu.f32", mu)
        write(f"{out}/conv-vae-logvar.f32", logvar)
        write(f"{out}/conv-vae-decode.f32", torch.sigmoid(scripted_conv.decode(z[:, :8])))

    # Bad files, each wrong in one way.
    save(torch.jit.script(OnlyForward()), f"{out}/no-methods.pt", description)
    save(torch.jit.script(WrongSignature()), f"{out}/wrong-signature.pt", description)
    save(scripted, f"{out}/contradicting.pt", dict(description, latent=10))
    save(scripted, f"{out}/undescribed.pt")
    with open(f"{out}/examples-vae.pt", "rb") as f:
        whole = f.read()
    with open(f"{out}/truncated.pt", "wb") as f:
        f.write(whole[: len(whole) // 2])
    with open(f"{out}/not-torchscript.pt", "wb") as f:
        f.write(b"PK\x03\x04 but not a zip archive at all")


def run(model_path, out):
    extra = {"latentlab.json": ""}
    model = torch.jit.load(model_path, _extra_files=extra)
    description = json.loads(extra["latentlab.json"])
    with open(f"{out}/run-description.json", "w") as f:
        json.dump(description, f)
    shape = description["image"]
    pixels = shape["channels"] * shape["height"] * shape["width"]
    x = torch.from_numpy(np.fromfile(f"{out}/x.f32", "<f4"))
    x = x.view(-1, pixels) if description["input"] == "flat" else x.view(-1, shape["channels"], shape["height"], shape["width"])
    z = torch.from_numpy(np.fromfile(f"{out}/z.f32", "<f4")).view(16, -1)[:, : description["latent"]]
    with torch.no_grad():
        mu, logvar = model.encode(x)
        write(f"{out}/run-mu.f32", mu)
        write(f"{out}/run-logvar.f32", logvar)
        write(f"{out}/run-decode.f32", model.decode(z.contiguous()))
        recon, mu2, _ = model(x)
        write(f"{out}/run-forward.f32", recon)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
