#!/usr/bin/python3
"""Paired difference of two `eval --json` results on the same test signals (issue 20 tables).

usage: /usr/bin/python3 scripts/paired.py A.json B.json
Matches the per-signal rows ("signals", written by eval --json) by name and prints, for PSNR (and
SSIM when present) under both protocols, the mean of A - B over the common signals with its standard
error (sample standard deviation / sqrt(n)), and how many signals A wins. Signals differ far more in
difficulty than two inits differ on one signal, so the paired error is much smaller than the two
means' own standard errors.
"""
import json, math, sys

a, b = (json.load(open(p)) for p in sys.argv[1:3])
if 'signals' not in a or 'signals' not in b:
    sys.exit('both files need per-signal rows ("signals"): rerun eval --json with this version')
rb = {r['name']: r for r in b['signals']}
common = [(r, rb[r['name']]) for r in a['signals'] if r['name'] in rb]
if len(common) < 2:
    sys.exit('fewer than 2 common signals')
print('%s - %s, %d common signals' % (a['checkpoint'], b['checkpoint'], len(common)))
for k in ('psnr_plain', 'psnr_rescaled', 'ssim_plain', 'ssim_rescaled'):
    if k not in common[0][0]:
        continue
    d = [x[k] - y[k] for x, y in common]
    m = sum(d) / len(d)
    sd = math.sqrt(sum((v - m) ** 2 for v in d) / (len(d) - 1))
    print('%-14s %+.3f +- %.3f (stderr), A higher on %d of %d' % (k, m, sd / math.sqrt(len(d)),
                                                              sum(v > 0 for v in d), len(d)))
