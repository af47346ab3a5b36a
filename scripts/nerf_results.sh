#!/bin/bash
# NeRF results of issue 15 (RESULTS.md, NeRF): random / gradncp / maml at equal outer steps on
# builtin:cars (16x16 views, 5 views per scene, 1 input view at test), then eval with K_test 2
# and 10 on the 8 held-out cars. Usage: scripts/nerf_results.sh [OUT=runs/nerf]; STEPS=150 by
# default. STAGE=train or eval runs one half; EVAL_RUNS names the run folders to evaluate
# (default "random maml gradncp", e.g. add gradncp_k8 after scripts/nerf_extend.sh);
# GRADNCP is the launcher (default ./gradncp).
set -e
cd "$(dirname "$0")/.."
R=${1:-runs/nerf}; STAGE=${STAGE:-all}; G=${GRADNCP:-./gradncp}
mkdir -p "$R"
C="--set=modality=scene --set=decoder=nerf --set=data=builtin:cars:64 --set=resolution=16 --set=views=5
 --set=inputViews=1 --set=raySamples=16 --set=width=32 --set=depth=3 --set=posFreqs=4 --set=innerSteps=2
 --set=innerLr=1 --set=testSteps=2 --set=metaBatch=2 --set=outerLr=1e-3 --set=bootSteps=2 --set=bootLr=1
 --set=testSignals=8 --set=evalEvery=50 --set=saveEvery=50 --set=seed=0 --set=outerSteps=${STEPS:-150}"
if [[ $STAGE != eval ]]; then
  for m in random gradncp maml; do
    # shellcheck disable=SC2086  # word splitting of C is intended
    /usr/bin/time -v -o "$R/$m.time" nice -n 5 $G train --quiet --log-every=5 $C --set=method=$m \
      --out="$R/$m" > "$R/$m.log" 2>&1
  done
fi
if [[ $STAGE != train ]]; then
  for m in ${EVAL_RUNS:-random maml gradncp}; do
    for k in 2 10; do
      /usr/bin/time -v -o "$R/$m.eval$k.time" nice -n 5 $G eval --json --checkpoint="$R/$m/last.safetensors" \
        --data=builtin:cars:8 --steps=$k > "$R/$m.eval$k.json" 2> "$R/$m.eval$k.err"
    done
  done
fi
