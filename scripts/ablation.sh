#!/usr/bin/env bash
# The issue-21 ablations (RESULTS.md, "Ablations (issue 21)"): every training run and every
# evaluation, resumable. Runs that share a setting share the run (see RUNS below).
#
#   scripts/ablation.sh train [STEP]   train every run, in order, up to outer step STEP (default:
#                                      all STEPS); a run that is already there is skipped, a run that
#                                      was interrupted resumes from its checkpoint (Adam state, sampler
#                                      position and step count are in it; the outer lr is constant).
#                                      The copy of each run's checkpoint at STEP is kept as stepSTEP.
#   scripts/ablation.sh eval STEP      evaluate every run's checkpoint at STEP (eval --json, and the
#                                      per-image scores for paired differences) into $OUT/eval/
#   scripts/ablation.sh bench          time each distinct configuration with `bench meta`, back to back
#   scripts/ablation.sh table STEP     print the tables and write docs/ablation_gamma.png
#
# ONLY=<run name> restricts train and eval to one run; EVAL_JSON=0 skips `eval --json` (the per-image
# CSV has the same means and standard errors).
# GRADNCP (default ./gradncp) is the command that runs the CLI; JAR (default the jar the launcher
# built, target/gradncp-*.jar) is put on the class path of scripts/EvalPerImage.java.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GRADNCP=${GRADNCP:-./gradncp}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=${JAR:-$(ls target/gradncp-*-SNAPSHOT.jar 2>/dev/null | head -n1 || true)}
OUT=${OUT:-runs/ablation}
STEPS=${STEPS:-300}
TEST=../shared/data/photos64/test

# photos64 at 32 px (the 64 px patches resized), the CelebA network (5 x 256, w0 30) of the config;
# every row: meta-batch 4, outer Adam lr 3e-5, STEPS outer steps, test with 16 steps on all 60 test patches.
COMMON=(--config configs/photos64_gradncp.yaml --set resolution=32 --set metaBatch=4 --set outerLr=3e-5
    --set outerSteps="$STEPS" --set evalEvery=150 --set testSignals=60 --set testSteps=16
    --set saveEvery=5 --log-every 5 --quiet)

# name | settings over photos64_gradncp.yaml (gradncp: K=16, gamma 0.25, selection gradncp, bootstrap
# L=5 at lr 0.05, lambda 100). Shared runs:
#   gradncp   = selection "gradncp", bootstrap on, lambda 100, gamma 0.25 (the reference row of every table)
#   full      = gamma 1: every point is kept, so the selection rule does not matter; also the gamma-1 point
#   boot_off  = bootstrap off, which has the same gradient as lambda 0 with the bootstrap on (the loss is
#               MSE + 0 * distance), so it is also the lambda-0 row
RUNS=(
    "gradncp|"
    "maml_k4|--set method=maml --set selection=full --set contextRatio=1.0 --set bootstrap=false --set innerSteps=4"
    "full|--set contextRatio=1.0"
    "error|--set selection=error"
    "random|--set selection=random"
    "boot_off|--set bootstrap=false"
    "gamma0.1|--set contextRatio=0.1"
    "gamma0.5|--set contextRatio=0.5"
    "gamma0.05|--set contextRatio=0.05"
    "lambda10|--set bootWeight=10"
    "lambda1000|--set bootWeight=1000"
)

# The outer step saved in a checkpoint (0 when there is none).
ckpt_step() {
    [[ -f $1 ]] || { echo 0; return; }
    /usr/bin/python3 - "$1" <<'EOF'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    meta = json.loads(f.read(n)).get("__metadata__", {})
print(meta.get("step", 0))
EOF
}

train_all() {
    local target=${1:-$STEPS} spec name args now
    for spec in "${RUNS[@]}"; do
        name=${spec%%|*}; args=${spec#*|}
        [[ -z ${ONLY:-} || $name == "$ONLY" ]] || continue
        now=$(ckpt_step "$OUT/$name/last.safetensors")
        if (( now < target )); then
            echo "== $name: step $now -> $target ($(date -u +%H:%M:%S))"
            # shellcheck disable=SC2086  # args is a list of --set options
            $GRADNCP train "${COMMON[@]}" $args --stop-after $((target - now)) --out "$OUT/$name"
            now=$(ckpt_step "$OUT/$name/last.safetensors")
        fi
        # keep the checkpoint of each stage for evaluation at equal steps
        if (( now == target )) && [[ ! -f $OUT/$name/step$now.safetensors ]]; then
            cp "$OUT/$name/last.safetensors" "$OUT/$name/step$now.safetensors"
        fi
    done
}

eval_all() {
    local step=$1 spec name ck
    mkdir -p "$OUT/eval"
    for spec in "${RUNS[@]}"; do
        name=${spec%%|*}
        [[ -z ${ONLY:-} || $name == "$ONLY" ]] || continue
        ck=$OUT/$name/step$step.safetensors
        [[ -f $ck ]] || { echo "== $name: no checkpoint at step $step, skipped"; continue; }
        [[ ${EVAL_JSON:-1} == 0 || -s $OUT/eval/$name-$step.json ]] || $GRADNCP eval --checkpoint "$ck" --data "$TEST" --steps 16 --json \
            > "$OUT/eval/$name-$step.json"
        [[ -s $OUT/eval/$name-$step.csv ]] || $JAVA --add-modules jdk.incubator.vector \
            --enable-native-access=ALL-UNNAMED -cp "$JAR" scripts/EvalPerImage.java "$ck" "$TEST" 16 \
            > "$OUT/eval/$name-$step.csv.part" && mv "$OUT/eval/$name-$step.csv.part" "$OUT/eval/$name-$step.csv"
        echo "== $name: $(cat "$OUT/eval/$name-$step.json" 2>/dev/null)"
    done
}

bench_all() {
    local g
    mkdir -p "$OUT/bench"
    for g in 0.05 0.1 0.25 0.5 1.0; do
        $GRADNCP bench meta --res 32 --batch 4 --method gradncp --inner-steps 16 --context-ratio $g \
            --warmup 1 --repeats 3 --no-reference --json > "$OUT/bench/gradncp-$g.json"
    done
    $GRADNCP bench meta --res 32 --batch 4 --method maml --inner-steps 4 \
        --warmup 1 --repeats 3 --no-reference --json > "$OUT/bench/maml_k4.json"
}

case ${1:-} in
    train) train_all "${2:-$STEPS}" ;;
    eval) eval_all "${2:?step}" ;;
    bench) bench_all ;;
    table) /usr/bin/python3 scripts/ablation_table.py "$OUT" "${2:?step}" docs/ablation_gamma.png ;;
    *) sed -n '2,19p' "$0"; exit 2 ;;
esac
