#!/usr/bin/env bash
# The NeRV table of RESULTS.md ("Video, NeRV (frame pruning)"): meta-trains a NeRV init with
# maml and with gradncp (frame pruning + bootstrap) for the same number of outer steps, writes
# the random init (method=random, same seed), and evaluates all three on every test clip with
# `eval --json` (plain and GradNCP-rescaled steps).
#
# Data: ../shared/data/video/mire2 (64 frames), split in time: frames 1-48 train (12 clips of
# 4 frames), frames 49-64 test (4 clips of 4), as two folders of symbolic links under
# OUT/data; train uses them through the data/testData keys, eval through --data.
# outerSteps is a fixed cap (MAX_STEPS, default 1000; outer Adam has no schedule, so the cap
# does not change a step) and each run is taken to STEPS outer steps with --stop-after, so a
# rerun with a larger STEPS resumes both meta-learned runs from OUT/<method> and extends them.
#   scripts/nerv_results.sh [STEPS] [OUT]          # defaults: 150 runs/video_nerv
# Writes OUT/<method>/ (checkpoint, metrics.jsonl), OUT/<method>.train.log, OUT/times.txt (wall
# seconds of each train and eval call, median ms per outer step) and OUT/eval_<method>_k<K>.json
# for K in EVAL_STEPS (default "0 4 16"; K = 0 scores the init itself).
set -euo pipefail

steps=${1:-150}
max_steps=${MAX_STEPS:-1000}
out=${2:-runs/video_nerv}
eval_steps=${EVAL_STEPS:-"0 4 16"}
src=../shared/data/video/mire2

mkdir -p "$out/data/train" "$out/data/test"
for i in $(seq 1 64); do
    f=$(printf 'frame_%04d.png' "$i")
    [[ -f "$src/$f" ]] || { echo "nerv_results: missing $src/$f" >&2; exit 1; }
    part=train
    (( i > 48 )) && part=test
    ln -sf "$(realpath "$src/$f")" "$out/data/$part/$f"
done

common=(--config configs/video_nerv_gradncp.yaml --set frames=4
        --set data="$out/data/train" --set testData="$out/data/test"
        --set outerSteps="$max_steps" --set evalEvery=50 --set testSignals=4 --set saveEvery=25
        --set bootWeight=100 --log-every 1 --quiet)

# the outer step of a run's checkpoint (0 before the first run)
done_steps() {
    local ckpt=$out/$1/last.safetensors
    if [[ ! -f "$ckpt" ]]; then echo 0; return; fi
    ./gradncp info "$ckpt" | sed -n 's/^step: \([0-9]*\).*/\1/p'
}

train() {
    local name=$1; shift
    local from todo t0 t1
    from=$(done_steps "$name")
    todo=$((steps - from))
    # method=random takes no step: it writes the init (once)
    if [[ "$name" == random ]]; then todo=1; [[ -f "$out/random/last.safetensors" ]] && todo=0; fi
    (( todo > 0 )) || return 0
    t0=$(date +%s)
    nice -n 5 ./gradncp train "${common[@]}" "$@" --stop-after "$todo" --out "$out/$name" \
        >> "$out/$name.train.log" 2>&1
    t1=$(date +%s)
    echo "$name steps $from -> $(done_steps "$name") wall_s=$((t1 - t0))" \
        "finished=$(date -u +%FT%TZ)" >> "$out/times.txt"
}

train random --set method=random
train maml --set method=maml --set innerSteps=4
train gradncp --set method=gradncp --set innerSteps=8 --set contextRatio=0.5

for m in random maml gradncp; do
    for k in $eval_steps; do
        t0=$(date +%s)
        nice -n 5 ./gradncp eval --checkpoint "$out/$m/last.safetensors" --data "$out/data/test" \
            --steps "$k" --context-ratio 0.5 --json > "$out/eval_${m}_k${k}.json"
        echo "eval $m K=$k wall_s=$(($(date +%s) - t0))" >> "$out/times.txt"
    done
done

# median ms per outer step (every step is a metrics.jsonl row with --log-every 1; the first
# step includes JIT warm-up and is in the median like any other)
for m in maml gradncp; do
    jq -s '[.[] | select(.ms != null) | .ms] | sort | .[length / 2 | floor]' \
        "$out/$m/metrics.jsonl" | xargs printf "$m median ms/step %s\n" >> "$out/times.txt"
done
cat "$out/times.txt"
