# Mean SSIM (an independent torch implementation of Wang et al.: 11x11 Gaussian window, sigma 1.5) and MSE
# of test reconstructions (the encoder's mean, decoded) of 28x28 grey TorchScript exports:
#   python3 bench/mean_ssim.py IMAGES.npy MODEL.pt ...   (IMAGES.npy from export-dataset --npy)
import sys, numpy as np, torch, torch.nn.functional as F
x = torch.from_numpy(np.load(sys.argv[1])).float().view(-1, 1, 28, 28)
g = torch.exp(-(torch.arange(11.0) - 5) ** 2 / (2 * 1.5 ** 2)); g = g / g.sum()
w = (g[:, None] * g[None, :])[None, None]
def ssim(a, b):
    mu_a, mu_b = F.conv2d(a, w), F.conv2d(b, w)
    va = F.conv2d(a * a, w) - mu_a ** 2; vb = F.conv2d(b * b, w) - mu_b ** 2; c = F.conv2d(a * b, w) - mu_a * mu_b
    m = ((2 * mu_a * mu_b + 1e-4) * (2 * c + 9e-4)) / ((mu_a ** 2 + mu_b ** 2 + 1e-4) * (va + vb + 9e-4))
    return m.flatten(1).mean(1)
for path in sys.argv[2:]:
    m = torch.jit.load(path)
    with torch.no_grad():
        mu, _ = m.encode(x)
        r = m.decode(mu).view(-1, 1, 28, 28)
    print(path, "mean SSIM", round(ssim(r, x).mean().item(), 4), "MSE", round(((r - x) ** 2).mean().item(), 5))
