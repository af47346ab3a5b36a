#!/usr/bin/python3
"""Training time of issue 20's runs up to given outer steps, from their metrics.jsonl.

usage: /usr/bin/python3 scripts/paper_times.py RUN_DIR:STEP[,STEP...] [...]
Prints, per run and step: the sum of the logged wall times ("ms") and of the engine thread's CPU
times ("cpu_ms"; with -Dgradncp.threads=1 all of a step's compute) over steps 1..STEP, the median
of each over the steps logged with cpu_ms, and the peak engine memory of the last step. Rows logged
before cpu_ms existed count the run's median cpu_ms (the count of such rows is printed). A resumed
run logs some steps again: the last row of a step wins.
"""
import json, os, statistics, sys

for spec in sys.argv[1:]:
    run, steps = spec.rsplit(':', 1)
    rows = [json.loads(l) for l in open(os.path.join(run, 'metrics.jsonl')) if l.strip()]
    train = {r['step']: r for r in rows if 'ms' in r}
    with_cpu = [r for r in train.values() if 'cpu_ms' in r]
    med_cpu = statistics.median(r['cpu_ms'] for r in with_cpu)
    med_ms = statistics.median(r['ms'] for r in with_cpu)
    for s in map(int, steps.split(',')):
        upto = [train[k] for k in sorted(train) if k <= s]
        wall = sum(r['ms'] for r in upto) / 1000
        cpu = sum(r.get('cpu_ms', med_cpu) for r in upto) / 1000
        filled = sum('cpu_ms' not in r for r in upto)
        print('%-28s step %4d: wall %7.0f s, cpu %7.0f s (%d rows at the median), median step wall %.1f s / '
              'cpu %.1f s, peak %.2f GiB' % (os.path.basename(run.rstrip('/')), s, wall, cpu, filled,
                                             med_ms / 1000, med_cpu / 1000, upto[-1]['peak_engine_bytes'] / 2**30))
