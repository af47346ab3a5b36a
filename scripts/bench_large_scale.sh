#!/usr/bin/env bash
# The large-scale benchmark series of BENCHMARKS.md, one run after another (run it on an idle
# machine; it takes about 35 minutes, most of it in the PyTorch reference):
#   scripts/bench_large_scale.sh OUT.jsonl [--rounds N] [--repeats N] [--with-scale]
# Appends one JSON object per configuration to OUT.jsonl: the four side-by-side step
# configurations with the kept graph (N rounds, default 1), the same four with --recompute,
# the memory tables (dry run, budget 20 GiB) and, with --with-scale, the 512^2 and 1024^2 steps.
# --repeats sets the timed steps of each side (default 2, the reference's own default); the
# medians of more steps are less moved by a host that pauses the VM for a second.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/bench_large_scale.sh OUT.jsonl [--rounds N] [--repeats N] [--with-scale]}
shift
rounds=1 repeats=2 scale=0
while (( $# )); do
    case $1 in
        --rounds) rounds=${2:?}; shift 2 ;;
        --repeats) repeats=${2:?}; shift 2 ;;
        --with-scale) scale=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
configs=("--method maml --inner-steps 4 --res 64 --batch 8" "--method gradncp --res 64 --batch 8"
         "--method maml --inner-steps 4 --res 178 --batch 1" "--method gradncp --res 178 --batch 1")
step() { # shellcheck disable=SC2086  # word splitting of the configuration is intended
    ./gradncp bench meta $1 --warmup 1 --repeats "$repeats" --vs-reference --json "${@:2}" >> "$out"; }
for ((r = 1; r <= rounds; r++)); do
    for c in "${configs[@]}"; do step "$c"; done
done
for c in "${configs[@]}"; do step "$c" --recompute; done
GRADNCP_JAVA_OPTS="-Xmx6g" ./gradncp bench memory --budget-gb 20 --json >> "$out"
GRADNCP_JAVA_OPTS="-Xmx6g" ./gradncp bench memory --budget-gb 20 --recompute --json >> "$out"
if (( scale )); then
    ./gradncp bench meta --method gradncp --res 512 --batch 1 --warmup 0 --repeats 1 --recompute --json >> "$out"
    ./gradncp bench meta --method gradncp --res 1024 --batch 1 --warmup 0 --repeats 1 --recompute --json >> "$out"
fi
