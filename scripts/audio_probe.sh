#!/usr/bin/env bash
# Issue 20, audio diagnosis: how far do 16 plain SGD steps from the SIREN's random init get on
# 1 s speech clips, against test lr, width and w0? No meta-training: this bounds what the inner
# loop can do per clip before meta-learning. Usage: scripts/audio_probe.sh [OUT] (default
# runs/audio20/probe); one line of eval JSON per setting in OUT/probe.jsonl (null when the fit diverged).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/audio20/probe}
mkdir -p "$OUT"
for w in 64 256; do
  for w0 in 30 100; do
    run=$OUT/rand_w${w}_w0_${w0}
    [ -f "$run/last.safetensors" ] || nice -n 5 ./gradncp train --config configs/audio_maml.yaml \
      --set method=random --set outerSteps=0 --set testSignals=8 --set width=$w --set w0=$w0 \
      --out "$run" --quiet > "$run.log" 2>&1
    for lr in 0.01 0.1 1.0; do
      echo -n "{\"width\":$w,\"w0\":$w0,\"lr\":$lr,\"eval\":" >> "$OUT/probe.jsonl"
      nice -n 5 ./gradncp eval --checkpoint "$run/last.safetensors" --data ../shared/data/speech16k/test \
        --limit 8 --lr $lr --steps 16 --json | tr -d '\n' >> "$OUT/probe.jsonl" || echo -n null >> "$OUT/probe.jsonl"
      echo "}" >> "$OUT/probe.jsonl"
    done
  done
done
