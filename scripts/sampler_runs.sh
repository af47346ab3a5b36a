#!/usr/bin/env bash
# Sampler comparison (RESULTS.md "Long-horizon agreement with the reference"): gradncp on photos64 at
# 32 px, batch 4, 200 outer steps, CelebA settings, seeds 0-2, sampler epoch and iid (paired: the same
# seed gives the same init); test PSNR after 16 steps (plain / rescaled) on all 60 held-out photos.
#   scripts/sampler_runs.sh OUTDIR [JAR [KEY=VALUE ...]]
# JAR: a copy of target/gradncp-*.jar with lib/ beside it (so rebuilding meanwhile does not matter);
# KEY=VALUE: further config overrides for every run (e.g. width=64).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=${1:?out dir}
JAR=${2:-$(ls "$ROOT"/target/gradncp-*.jar | grep -v -- '-sources\|-javadoc\|-tests' | head -1)}
shift $(( $# < 2 ? $# : 2 ))
EXTRA=()
for kv in "$@"; do EXTRA+=(--set "$kv"); done
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
cd "$ROOT"
for seed in 0 1 2; do
  for s in epoch iid; do
    d="$OUT/${s}_s$seed"
    [[ -f "$d/last.safetensors" ]] && grep -q test_psnr_rescaled "$d/metrics.jsonl" 2>/dev/null && continue
    nice -n 5 "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
        -Xmn128m -jar "$JAR" train --config configs/photos64_gradncp.yaml --set resolution=32 \
        --set metaBatch=4 --set outerSteps=200 --set evalEvery=0 --set saveEvery=50 --set testSignals=60 \
        --set testSteps=16 --set seed=$seed --set sampler=$s "${EXTRA[@]}" --log-every 10 --quiet --out "$d" \
        > "$OUT/${s}_s$seed.log" 2>&1
  done
done
