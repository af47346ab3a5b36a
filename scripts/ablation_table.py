#!/usr/bin/python3
"""Tables and plot of the issue-21 ablations (scripts/ablation.sh table STEP).

Reads, under OUT: <run>/metrics.jsonl (time per outer step, peak engine memory),
eval/<run>-<STEP>.csv (per-image test scores from scripts/EvalPerImage.java) and, when present,
bench/*.json (`bench meta --json`). Prints Markdown tables: mean +- standard error over the test
images, and paired differences (same test images) +- their standard error. Writes the gamma-sweep
plot (PSNR against peak memory, maml K=4 as a reference point) to PNG.

usage: ablation_table.py OUT STEP PLOT.png
"""
import csv
import json
import math
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OUT, STEP, PLOT = sys.argv[1], int(sys.argv[2]), sys.argv[3]
KEYS = ["psnr_plain", "psnr_rescaled", "ssim_plain", "ssim_rescaled"]
GAMMA_RUNS = [("gamma0.05", 0.05), ("gamma0.1", 0.1), ("gradncp", 0.25), ("gamma0.5", 0.5), ("full", 1.0)]
MIB = 1024 * 1024


def scores(run):
    """Per-image scores of a run at STEP, or None when not evaluated yet."""
    path = os.path.join(OUT, "eval", f"{run}-{STEP}.csv")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in KEYS} | {"image": [r["image"] for r in rows]}


def mean_se(v):
    return statistics.fmean(v), statistics.stdev(v) / math.sqrt(len(v))


def paired(a, b):
    """mean and s.e. of a_i - b_i (the same test images in the same order)."""
    return mean_se([x - y for x, y in zip(a, b)])


def train_stats(run):
    """Median ms per outer step, max peak engine bytes, last step, over the run's metrics rows up to STEP."""
    path = os.path.join(OUT, run, "metrics.jsonl")
    if not os.path.exists(path):
        return None
    ms, peak, last = [], 0, 0
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "ms" in r and r["step"] <= STEP:
                ms.append(r["ms"])
                peak = max(peak, r["peak_engine_bytes"])
                last = max(last, r["step"])
    return statistics.median(ms) if ms else float("nan"), peak, last


def bench(name):
    path = os.path.join(OUT, "bench", name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                return json.loads(line)
    return None


BENCH_OF = {"gradncp": "gradncp-0.25", "error": "gradncp-0.25", "random": "gradncp-0.25",
            "lambda10": "gradncp-0.25", "lambda1000": "gradncp-0.25", "full": "gradncp-1.0",
            "gamma0.05": "gradncp-0.05", "gamma0.1": "gradncp-0.1", "gamma0.5": "gradncp-0.5",
            "maml_k4": "maml_k4"}


def fmt(v, digits=2):
    m, s = mean_se(v)
    return f"{m:.{digits}f} ± {s:.{digits}f}"


def row(label, run, ref=None):
    s = scores(run)
    t = train_stats(run)
    if s is None:
        return f"| {label} | (not run to step {STEP}) |" + " |" * 8
    ms, peak, _ = t
    b = bench(BENCH_OF.get(run, ""))
    bms = f"{b['ms_per_step'] / 1000:.2f} s" if b else "-"
    cells = [fmt(s["psnr_plain"]), fmt(s["psnr_rescaled"]), fmt(s["ssim_plain"], 3), fmt(s["ssim_rescaled"], 3)]
    if ref is not None and run != ref and scores(ref) is not None:
        r = scores(ref)
        dp = paired(s["psnr_plain"], r["psnr_plain"])
        dr = paired(s["psnr_rescaled"], r["psnr_rescaled"])
        diff = f"{dp[0]:+.2f} ± {dp[1]:.2f} / {dr[0]:+.2f} ± {dr[1]:.2f}"
    else:
        diff = "(reference)" if ref is not None else ""
    resc = paired(s["psnr_rescaled"], s["psnr_plain"])
    return (f"| {label} | " + " | ".join(cells) + f" | {diff} | {resc[0]:+.2f} ± {resc[1]:.2f} | "
            f"{peak / MIB:.0f} MiB | {ms / 1000:.2f} s | {bms} |")


HEADER = ("| row | PSNR plain (dB) | PSNR rescaled (dB) | SSIM plain | SSIM rescaled | paired ΔPSNR vs "
          "reference row, plain / rescaled (dB) | rescaled − plain, paired (dB) | peak engine memory | "
          "median ms/step in the run | bench meta ms/step |\n|---|---|---|---|---|---|---|---|---|---|")


def table(title, rows, ref):
    print(f"\n{title}\n")
    print(HEADER)
    for label, run in rows:
        print(row(label, run, ref))


table("Selection (K=16, gamma 0.25, bootstrap on, L=5, lambda 100)",
      [("gradncp score (last-layer gradient norm)", "gradncp"), ("error (per-point error only)", "error"),
       ("random", "random"), ("full (gamma 1; the rule does not matter)", "full")], "gradncp")
table("Bootstrap (K=16, gamma 0.25, selection gradncp, L=5)",
      [("bootstrap on, lambda 100", "gradncp"), ("bootstrap off (= lambda 0)", "boot_off"),
       ("lambda 10", "lambda10"), ("lambda 1000", "lambda1000")], "gradncp")
table("Context ratio (K=16, selection gradncp, bootstrap on, L=5, lambda 100)",
      [(f"gamma {g}", r) for r, g in GAMMA_RUNS] + [("maml, K=4 full (reference)", "maml_k4")], "gradncp")

# Plot: PSNR (mean +- s.e.) against peak engine memory over the gamma sweep.
fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
for key, colour, name in [("psnr_rescaled", "tab:blue", "GradNCP, rescaled test steps"),
                          ("psnr_plain", "tab:orange", "GradNCP, plain test steps")]:
    xs, ys, es, gs = [], [], [], []
    for run, g in GAMMA_RUNS:
        s, t = scores(run), train_stats(run)
        if s is None:
            continue
        m, se = mean_se(s[key])
        xs.append(t[1] / MIB)
        ys.append(m)
        es.append(se)
        gs.append(g)
    ax.errorbar(xs, ys, yerr=es, marker="o", color=colour, capsize=3, label=name)
    for x, y, g in zip(xs, ys, gs):
        ax.annotate(f"γ={g:g}", (x, y), textcoords="offset points", xytext=(5, -12 if "plain" in key else 6),
                    fontsize=8, color=colour)
s, t = scores("maml_k4"), train_stats("maml_k4")
if s is not None:
    for key, marker, name in [("psnr_rescaled", "s", "maml K=4 full, rescaled"),
                              ("psnr_plain", "D", "maml K=4 full, plain")]:
        m, se = mean_se(s[key])
        ax.errorbar([t[1] / MIB], [m], yerr=[se], marker=marker, color="black", linestyle="none", capsize=3,
                    mfc="white" if "plain" in key else "black", label=name)
ax.set_xlabel("peak engine memory per outer step (MiB, meta-batch 4, 32 px)")
ax.set_ylabel("test PSNR (dB), 60 images, 16 steps")
ax.set_title(f"photos64 at 32 px, {STEP} outer steps: context ratio γ (K=16)")
ax.margins(x=0.1)
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(PLOT)
print(f"\nwrote {PLOT}")
