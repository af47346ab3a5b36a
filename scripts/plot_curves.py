#!/usr/bin/python3
"""Learning curves of issue 20: test PSNR against outer step and against training time, per run.

usage: /usr/bin/python3 scripts/plot_curves.py OUT.png TITLE RUN_DIR [RUN_DIR ...]
Reads each RUN_DIR/metrics.jsonl (the train command's log) and, when present, RUN_DIR/evals.jsonl
(rows {"step", "test_psnr_plain", "test_psnr_rescaled", ...} from `eval` of a step's checkpoint,
written by scripts/paper_evals.sh). Top row: the test PSNR of the in-run and checkpoint
evaluations; bottom row: the training batch's PSNR after the inner loop ("psnr_out"), a running mean
over 10 logged rows, which has a point at every logged step. Training time is the sum of the logged
per-step times, each standing for the steps since the previous logged row, so evaluations,
checkpoints and JVM start-up are left out; with --log-every 1 it is exact. --cpu: the steps' CPU
time ("cpu_ms", the engine thread's, all of a step's compute with -Dgradncp.threads=1) instead of
wall time ("ms"), which on a shared machine depends on the load; rows logged before cpu_ms existed
count the median cpu_ms of the run's other rows. A run without outer
steps (method random) is drawn as a horizontal line at its evaluation. Solid: plain test steps;
dashed: GradNCP-rescaled. A plotting aid only: the project never needs matplotlib.
"""
import json, os, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

args = sys.argv[1:]
cpu = '--cpu' in args
args = [a for a in args if a != '--cpu']
out, title, runs = args[0], args[1], args[2:]
key = 'cpu_ms' if cpu else 'ms'
unit = 'CPU time of the outer steps' if cpu else 'sum of outer-step wall times'
fig, grid = plt.subplots(2, 2, figsize=(11, 7.5))
axes, taxes = grid[0], grid[1]
for i, run in enumerate(runs):
    rows = [json.loads(l) for l in open(os.path.join(run, 'metrics.jsonl')) if l.strip()]
    # a run resumed from an earlier checkpoint logs some steps again: the last row of a step wins
    train = sorted({r['step']: r for r in rows if 'ms' in r}.values(), key=lambda r: r['step'])
    extra = os.path.join(run, 'evals.jsonl')
    if os.path.exists(extra):
        rows += [json.loads(l) for l in open(extra) if l.strip()]
    evals = sorted({r['step']: r for r in rows if 'test_psnr_plain' in r}.values(), key=lambda r: r['step'])
    known = sorted(r[key] for r in train if key in r)
    fill = known[len(known) // 2] if known else float('nan')
    t, last, clock = 0.0, 0, {0: 0.0}
    for r in train:
        t += r.get(key, fill) / 1000.0 * (r['step'] - last)
        last = r['step']
        clock[r['step']] = t
    name, colour = os.path.basename(run.rstrip('/')), 'C%d' % i
    if train:
        smooth = [sum(r['psnr_out'] for r in train[max(0, j - 9):j + 1]) / len(train[max(0, j - 9):j + 1])
                  for j in range(len(train))]
        taxes[0].plot([r['step'] for r in train], smooth, color=colour, label=name)
        taxes[1].plot([clock[r['step']] / 60 for r in train], smooth, color=colour, label=name)
    if not evals:
        continue
    if all(r['step'] == 0 for r in evals):
        for ax in axes:
            ax.axhline(evals[-1]['test_psnr_plain'], color=colour, lw=1, label=name + ' plain')
            ax.axhline(evals[-1]['test_psnr_rescaled'], color=colour, lw=1, ls='--', label=name + ' rescaled')
        continue
    steps = [r['step'] for r in evals]
    secs = [clock.get(s, float('nan')) / 60 for s in steps]
    for ax, xs in zip(axes, (steps, secs)):
        ax.plot(xs, [r['test_psnr_plain'] for r in evals], 'o-', color=colour, label=name + ' plain')
        ax.plot(xs, [r['test_psnr_rescaled'] for r in evals], 's--', color=colour, label=name + ' rescaled')
axes[0].set_xlabel('outer step')
axes[1].set_xlabel('training time (min, ' + unit + ')')
taxes[0].set_xlabel('outer step')
taxes[1].set_xlabel('training time (min, ' + unit + ')')
for ax in axes:
    ax.set_ylabel('test PSNR (dB)')
    ax.grid(alpha=0.3)
for ax in taxes:
    ax.set_ylabel('training PSNR after the inner loop (dB)')
    ax.grid(alpha=0.3)
axes[1].legend(fontsize=7, loc='best')
taxes[1].legend(fontsize=7, loc='best')
fig.suptitle(title, fontsize=10)
fig.tight_layout()
fig.savefig(out, dpi=110)
print('wrote', out)
