#!/bin/bash
# Extends issue 15's NeRF runs (scripts/nerf_results.sh) to STEPS outer steps, maml and gradncp
# round-robin in chunks of 25 so that both stay at equal outer steps however far a session gets;
# every call resumes from R/{maml,gradncp}/last.safetensors (raising outerSteps is allowed).
# Usage: STEPS=400 scripts/nerf_extend.sh [R=runs/nerf]; then eval as in nerf_results.sh.
cd "$(dirname "$0")/.."
R=${1:-runs/nerf}; STEPS=${STEPS:-400}
C="--set=modality=scene --set=decoder=nerf --set=data=builtin:cars:64 --set=resolution=16 --set=views=5
 --set=inputViews=1 --set=raySamples=16 --set=width=32 --set=depth=3 --set=posFreqs=4 --set=innerSteps=2
 --set=innerLr=1 --set=testSteps=2 --set=metaBatch=2 --set=outerLr=1e-3 --set=bootSteps=2 --set=bootLr=1
 --set=testSignals=8 --set=evalEvery=50 --set=saveEvery=50 --set=seed=0 --set=outerSteps=$STEPS"
while :; do
  progressed=0
  for m in maml gradncp; do
    s=$(grep -o '"step":[0-9]*' "$R/$m/metrics.jsonl" 2>/dev/null | tail -1 | cut -d: -f2)
    if [ "${s:-0}" -lt "$STEPS" ]; then
      nice -n 10 ./gradncp train --quiet --log-every=5 $C --set=method=$m --out="$R/$m" --stop-after=25 \
        >> "$R/$m.extend.log" 2>&1 || exit 1
      progressed=1
    fi
  done
  [ $progressed = 1 ] || break
done
