#!/usr/bin/env python3
"""Expected SSIM/PSNR values for gradncp.metrics tests, independent of the Java code.

SSIM follows pytorch_msssim.ssim(X, Y, data_range=1.0) with its defaults (win_size 11,
win_sigma 1.5, K=(0.01, 0.03), size_average, nonnegative_ssim False): a normalised 1-D Gaussian
g[i] ~ exp(-(i - 5)^2 / (2 * 1.5^2)), applied separably with no padding ('valid') along H then W,
per channel (a spatial dim shorter than the window is not filtered, as in the library), then
the mean of the SSIM map over positions and channels. Computed here in float64 numpy.
Run: /usr/bin/python3 ssim_values.py   (numpy only)
"""
import numpy as np


def lcg_image(h, w, c, seed):
    """Same integer LCG as SsimTest.lcgImage: state = state*6364136223846793005 + 1442695040888963407
    mod 2^64, value = (state >> 40) / 2^24, filled in H, W, C (channel-last) order."""
    s, out = seed, np.empty(h * w * c)
    for i in range(out.size):
        s = (s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out[i] = (s >> 40) / float(1 << 24)
    return out.reshape(h, w, c)


def gauss(size=11, sigma=1.5):
    x = np.arange(size) - size // 2
    g = np.exp(-(x ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def filt(img, g):  # img [H, W]
    if img.shape[0] >= len(g):
        img = np.stack([np.convolve(img[:, j], g[::-1], "valid") for j in range(img.shape[1])], 1)
    if img.shape[1] >= len(g):
        img = np.stack([np.convolve(img[i, :], g[::-1], "valid") for i in range(img.shape[0])], 0)
    return img


def ssim(x, y, K1=0.01, K2=0.03):
    g, C1, C2, vals = gauss(), K1 ** 2, K2 ** 2, []
    for c in range(x.shape[2]):
        a, b = x[..., c], y[..., c]
        mu1, mu2 = filt(a, g), filt(b, g)
        s11 = filt(a * a, g) - mu1 ** 2
        s22 = filt(b * b, g) - mu2 ** 2
        s12 = filt(a * b, g) - mu1 * mu2
        cs = (2 * s12 + C2) / (s11 + s22 + C2)
        vals.append((((2 * mu1 * mu2 + C1) / (mu1 ** 2 + mu2 ** 2 + C1)) * cs).mean())
    return float(np.mean(vals))


def case(h, w, c):
    t = lcg_image(h, w, c, 1)
    # a smooth target (box blur of noise) and a prediction = 0.8*target + 0.2*noise, clamped
    t = (t + np.roll(t, 1, 0) + np.roll(t, 1, 1) + np.roll(np.roll(t, 1, 0), 1, 1)) / 4
    p = np.clip(0.8 * t + 0.2 * lcg_image(h, w, c, 2) + 0.05, 0, 1)
    return p, t


for (h, w, c) in [(24, 20, 3), (12, 12, 1), (8, 30, 1)]:
    p, t = case(h, w, c)
    psnr = -10 * np.log10(np.mean((np.clip(p, 0, 1) - t) ** 2) + 1e-24)
    print(f"{h}x{w}x{c} ssim {ssim(p, t)!r} psnr {psnr!r}")
