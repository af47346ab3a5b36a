#!/usr/bin/env python3
"""Summarises scripts/sampler_runs.sh: final test PSNR per run, mean and sample standard deviation per
sampler, and the paired (same seed, same init) difference iid - epoch.
  python3 scripts/sampler_summary.py runs/sampler/w64"""
import glob, json, os, statistics, sys

root = sys.argv[1]
res = {}
for f in sorted(glob.glob(os.path.join(root, "*_s*", "metrics.jsonl"))):
    rows = [json.loads(l) for l in open(f) if "test_psnr_rescaled" in l]
    if rows:
        sampler, seed = os.path.basename(os.path.dirname(f)).split("_s")
        res[(sampler, int(seed))] = (rows[-1]["test_psnr_plain"], rows[-1]["test_psnr_rescaled"])
for (s, seed), (p, r) in sorted(res.items()):
    print(f"{s:6s} seed {seed}: plain {p:.3f}  rescaled {r:.3f}")
for s in ("epoch", "iid"):
    v = [res[k] for k in sorted(res) if k[0] == s]
    if len(v) >= 2:
        for i, name in ((0, "plain"), (1, "rescaled")):
            x = [t[i] for t in v]
            print(f"{s:6s} {name:8s} mean {statistics.mean(x):.3f}  sd {statistics.stdev(x):.3f}  "
                  f"range {min(x):.3f}-{max(x):.3f}  (n={len(x)})")
seeds = sorted({k[1] for k in res if ("epoch", k[1]) in res and ("iid", k[1]) in res})
for i, name in ((0, "plain"), (1, "rescaled")):
    d = [res[("iid", s)][i] - res[("epoch", s)][i] for s in seeds]
    if d:
        sd = f"  sd {statistics.stdev(d):.3f}" if len(d) >= 2 else ""
        print(f"iid - epoch {name:8s} per seed {[round(x, 3) for x in d]}  mean {statistics.mean(d):+.3f}{sd}")
