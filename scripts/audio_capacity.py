#!/usr/bin/python3
"""Issue 20, audio diagnosis: what a SIREN can fit on one 1 s speech clip, with no meta-learning.

usage: /usr/bin/python3 scripts/audio_capacity.py [--sgd-lrs=LR,LR...] CLIP.wav [CLIP.wav ...] > OUT.jsonl
For each clip (first 1 s, values (w + 1) / 2, x = SCALE linspace(-1, 1, 16000)) and each setting, prints one
JSON line: the PSNR of predicting silence (0.5), then the PSNR after n steps of full-batch Adam (lr 1e-4,
an upper bound on what 16 inner steps can reach) and after 16 plain SGD steps at several learning rates
(the inner loop from the random init). A diagnostic only: the project never needs torch.
The SIREN follows ALGORITHM.md (sine layers sin(w0 (W x + b)), weights and biases uniform, first layer
1/d_in, hidden sqrt(6/n)/w0, linear output + 0.5).
"""
import json, math, sys, time, wave
import numpy as np
import torch

torch.set_num_threads(1)


def load(path, seconds=1.0):
    with wave.open(path) as w:
        n = int(seconds * w.getframerate())
        a = np.frombuffer(w.readframes(n), dtype='<i2').astype(np.float32) / 32768.0
    return torch.from_numpy((a + 1) / 2)


def siren(depth, width, w0, seed=0):
    g = torch.Generator().manual_seed(seed)
    dims = [1] + [width] * (depth - 1) + [1]
    ps = []
    for i in range(depth):
        r = 1.0 / dims[i] if i == 0 else math.sqrt(6.0 / dims[i]) / w0
        ps.append((torch.rand(dims[i + 1], dims[i], generator=g) * 2 - 1) * r)
        ps.append((torch.rand(dims[i + 1], generator=g) * 2 - 1) * r)
    return [p.requires_grad_() for p in ps]


def forward(ps, x, w0):
    h = x[:, None]
    n = len(ps) // 2
    for i in range(n - 1):
        h = torch.sin(w0 * (h @ ps[2 * i].T + ps[2 * i + 1]))
    return (h @ ps[-2].T + ps[-1])[:, 0] + 0.5


def psnr(pred, y):
    return -10 * math.log10(float(((pred.clamp(0, 1) - y) ** 2).mean()) + 1e-24)


def adam(y, x, depth, width, w0, steps, report):
    ps = siren(depth, width, w0)
    opt = torch.optim.Adam(ps, lr=1e-4)
    out = {}
    for s in range(1, steps + 1):
        opt.zero_grad()
        loss = ((forward(ps, x, w0) - y) ** 2).mean()
        loss.backward()
        opt.step()
        if s in report:
            with torch.no_grad():
                out[s] = round(psnr(forward(ps, x, w0), y), 2)
    return out


def sgd(y, x, depth, width, w0, lr, steps=16):
    ps = siren(depth, width, w0)
    for _ in range(steps):
        loss = ((forward(ps, x, w0) - y) ** 2).mean()
        gs = torch.autograd.grad(loss, ps)
        with torch.no_grad():
            for p, g in zip(ps, gs):
                p -= lr * g
    with torch.no_grad():
        v = psnr(forward(ps, x, w0), y)
    return round(v, 2) if math.isfinite(v) else None


# Coordinate scale: 50 is the reference's (x in [-50, 50] over the clip, ~0.19 rad per sample at the
# first layer's largest weight with w0 30, i.e. up to ~480 Hz); 667 gives ~2.5 rad per sample, the rate
# of COIN++'s audio setting (10 linspace(0, 1, 200) - 5 over 200-sample patches with w0 50).
SETTINGS = [  # depth, width, w0, coordinate scale, Adam steps
    (4, 64, 30, 50, 300), (4, 64, 30, 667, 300), (5, 256, 30, 50, 150), (5, 256, 30, 667, 150),
]
args = sys.argv[1:]
if args and args[0].startswith('--sgd-lrs='):  # only the 16 SGD steps, at these lrs, for each network
    lrs = [float(v) for v in args[0].split('=', 1)[1].split(',')]
    for clip in args[1:]:
        y = load(clip)
        for depth, width, w0, scale, _ in SETTINGS:
            if scale != 50:
                continue
            x = scale * torch.linspace(-1, 1, y.numel())
            print(json.dumps({'clip': clip, 'depth': depth, 'width': width, 'w0': w0, 'x_scale': scale,
                              'sgd16': {lr: sgd(y, x, depth, width, w0, lr) for lr in lrs}}), flush=True)
    sys.exit(0)
for clip in args:
    y = load(clip)
    w = y * 2 - 1
    print(json.dumps({'clip': clip, 'rms': round(float(w.pow(2).mean().sqrt()), 4),
                      'peak': round(float(w.abs().max()), 4),
                      'silence_psnr': round(psnr(torch.full_like(y, 0.5), y), 2)}), flush=True)
    for depth, width, w0, scale, steps in SETTINGS:
        x = scale * torch.linspace(-1, 1, y.numel())
        t = time.time()
        row = {'clip': clip, 'depth': depth, 'width': width, 'w0': w0, 'x_scale': scale,
               'adam_1e-4': adam(y, x, depth, width, w0, steps, {16, 50, 150, 300}),
               'sgd16': {lr: sgd(y, x, depth, width, w0, lr) for lr in (0.01, 0.1, 0.3)}}
        row['seconds'] = round(time.time() - t, 1)
        print(json.dumps(row), flush=True)
