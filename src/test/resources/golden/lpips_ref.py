#!/usr/bin/env python3
"""Expected LPIPS (v0.1, net='alex') values for gradncp.metrics.LpipsTest, independent of the Java code.

Re-implements lpips.LPIPS(net='alex').forward(in0, in1) (inputs already in [-1, 1]) with plain
torch ops in float64: scaling layer (x - shift) / scale, torchvision AlexNet features up to relu5
(conv 3->64 k11 s4 p2, relu | maxpool 3/2, conv 64->192 k5 p2, relu | maxpool 3/2,
conv 192->384 k3 p1, relu | conv 384->256 k3 p1, relu | conv 256->256 k3 p1, relu), per tap
unit-normalisation over channels (x / (||x|| + 1e-10)), squared difference, 1x1 lin conv (no
bias), spatial mean, sum over the five taps.

Weights: with no argument, deterministic "hash weights" (same formula as LpipsTest.hashWeights):
tensor t (weight 3k, bias 3k+1, lin 3k+2 for layer k = 0..4), element i -> u = splitmix64(t<<32 | i)
>> 40 / 2^24, weight = (2u-1)*sqrt(6/fan_in), bias = (2u-1)*0.05, lin = u/C, rounded to float32.
With a path, loads a safetensors file named like the lpips state dict (net.slice{k}.{idx}.weight/bias,
lin{k}.model.1.weight) or torchvision-style (features.{idx}.*): useful to check exported real weights.
Run: /usr/bin/python3 lpips_ref.py [weights.safetensors]     (torch + numpy, no lpips needed)
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

CH, IN, KS, ST, PD, IDX = [64, 192, 384, 256, 256], [3, 64, 192, 384, 256], [11, 5, 3, 3, 3], \
    [4, 1, 1, 1, 1], [2, 2, 1, 1, 1], [0, 3, 6, 8, 10]
SHIFT = torch.tensor([-.030, -.088, -.188], dtype=torch.float64).view(1, 3, 1, 1)
SCALE = torch.tensor([.458, .448, .450], dtype=torch.float64).view(1, 3, 1, 1)
M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def uniform(t, n):
    """u in [0,1) for elements 0..n-1 of stream t: splitmix64 finaliser, top 24 bits."""
    with np.errstate(over="ignore"):
        z = (np.uint64(t) << np.uint64(32)) | np.arange(n, dtype=np.uint64)
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)


def hash_weights():
    ws = []
    for k in range(5):
        fan = IN[k] * KS[k] * KS[k]
        w = ((2 * uniform(3 * k, CH[k] * fan) - 1) * np.sqrt(6.0 / fan)).astype(np.float32)
        b = ((2 * uniform(3 * k + 1, CH[k]) - 1) * 0.05).astype(np.float32)
        lin = (uniform(3 * k + 2, CH[k]) / CH[k]).astype(np.float32)
        ws.append((w.reshape(CH[k], IN[k], KS[k], KS[k]), b, lin.reshape(1, CH[k], 1, 1)))
    return ws


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    out = {}
    for name, m in json.loads(raw[8:8 + n]).items():
        if name == "__metadata__":
            continue
        dt = {"F32": "<f4", "F64": "<f8"}[m["dtype"]]
        b, e = m["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + b:8 + n + e], dtype=dt).reshape(m["shape"])
    return out


def file_weights(path):
    t, ws = read_safetensors(path), []
    for k in range(5):
        def get(a, b):
            return t[a] if a in t else t[b]
        p, f = "net.slice%d.%d." % (k + 1, IDX[k]), "features.%d." % IDX[k]
        ws.append((get(p + "weight", f + "weight"), get(p + "bias", f + "bias"),
                   get("lin%d.model.1.weight" % k, "lins.%d.model.1.weight" % k)))
    return ws


def lpips(ws, a01, b01):
    """a01, b01: float32 [H, W, C] in [0,1] -> LPIPS as lpips.LPIPS(net='alex')(2a-1, 2b-1)."""
    def feats(x):
        x = torch.from_numpy(x.astype(np.float64)).permute(2, 0, 1).unsqueeze(0)
        if x.shape[1] == 1:
            x = x.repeat(1, 3, 1, 1)
        x = ((x * 2 - 1) - SHIFT) / SCALE
        taps = []
        for k, (w, b, _) in enumerate(ws):
            if k in (1, 2):
                x = F.max_pool2d(x, 3, 2)
            x = F.relu(F.conv2d(x, torch.from_numpy(np.asarray(w, np.float64)),
                                torch.from_numpy(np.asarray(b, np.float64)), ST[k], PD[k]))
            taps.append(x)
        return taps

    total = 0.0
    for fa, fb, (_, _, lin) in zip(feats(a01), feats(b01), ws):
        na = fa / (torch.sqrt((fa ** 2).sum(1, keepdim=True)) + 1e-10)
        nb = fb / (torch.sqrt((fb ** 2).sum(1, keepdim=True)) + 1e-10)
        d = F.conv2d((na - nb) ** 2, torch.from_numpy(np.asarray(lin, np.float64)))
        total += float(d.mean())
    return total


def pairs():
    """Same as LpipsTest.pairs(): (name, a, b), float32 [H, W, C]."""
    def u(t, h, w, c):
        return uniform(t, h * w * c).reshape(h, w, c)
    f32 = lambda x: np.clip(x, 0, 1).astype(np.float32)
    out = []
    a = u(100, 64, 64, 3)
    out.append(("independent noise 64x64x3", f32(a), f32(u(101, 64, 64, 3))))
    a = u(102, 64, 64, 3)
    out.append(("noise +-0.1 64x64x3", f32(a), f32(a + 0.1 * (2 * u(103, 64, 64, 3) - 1))))
    a = u(104, 64, 64, 1)
    out.append(("grey noise +-0.3 64x64x1", f32(a), f32(a + 0.3 * (2 * u(105, 64, 64, 1) - 1))))
    h, w = 40, 56
    y, x = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    a = f32(np.stack([y / (h - 1), x / (w - 1), (x + y) / (h + w - 2)], -1)).astype(np.float64)
    out.append(("ramps +-0.05 40x56x3", f32(a), f32(a + 0.05 * (2 * u(106, h, w, 3) - 1))))
    return out


if __name__ == "__main__":
    ws = file_weights(sys.argv[1]) if len(sys.argv) > 1 else hash_weights()
    for name, a, b in pairs():
        print("%-28s %r" % (name, lpips(ws, a, b)))
