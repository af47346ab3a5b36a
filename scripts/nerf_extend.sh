#!/bin/bash
# Extends issue 15's NeRF runs (scripts/nerf_results.sh settings) to equal outer steps: the runs
# listed in RUNS advance in chunks of CHUNK steps, always the one(s) furthest behind first, so a
# run started from scratch catches up and then all move level. Every call resumes from
# R/<name>/last.safetensors (raising outerSteps is allowed). It stops when all runs reach STEPS, or,
# with DEADLINE (a `date -d` time), when all runs are level and that time has passed, so the runs
# end at the same step count however far the machine gets.
#   RUNS: space-separated name[:key=value,key=value...], the --set overrides of each run on top of
#         the common settings (default: "maml:method=maml gradncp:method=gradncp").
#   GRADNCP: the launcher (default ./gradncp; a frozen copy keeps source edits out of the runs).
# Usage: STEPS=400 [RUNS=...] [DEADLINE=23:00] scripts/nerf_extend.sh [R=runs/nerf]; then eval as in
# nerf_results.sh.
cd "$(dirname "$0")/.."
R=${1:-runs/nerf}; STEPS=${STEPS:-400}; CHUNK=${CHUNK:-25}; G=${GRADNCP:-./gradncp}
RUNS=${RUNS:-"maml:method=maml gradncp:method=gradncp"}
END=${DEADLINE:+$(date -d "$DEADLINE" +%s)}
C="--set=modality=scene --set=decoder=nerf --set=data=builtin:cars:64 --set=resolution=16 --set=views=5
 --set=inputViews=1 --set=raySamples=16 --set=width=32 --set=depth=3 --set=posFreqs=4 --set=innerSteps=2
 --set=innerLr=1 --set=testSteps=2 --set=metaBatch=2 --set=outerLr=1e-3 --set=bootSteps=2 --set=bootLr=1
 --set=testSignals=8 --set=evalEvery=50 --set=saveEvery=50 --set=seed=0 --set=outerSteps=$STEPS"

step_of() { # the last step with a saved checkpoint row in R/$1/metrics.jsonl (0 before the first)
  local s
  s=$(grep -o '"step":[0-9]*' "$R/$1/metrics.jsonl" 2>/dev/null | tail -1 | cut -d: -f2)
  echo "${s:-0}"
}

while :; do
  low=$STEPS; high=0
  for run in $RUNS; do
    s=$(step_of "${run%%:*}")
    (( s < low )) && low=$s
    (( s > high )) && high=$s
  done
  (( low >= STEPS )) && break
  if [[ -n "$END" && $low == "$high" && $(date +%s) -ge $END ]]; then
    echo "deadline $DEADLINE: all runs at step $low" >&2
    break
  fi
  for run in $RUNS; do
    name=${run%%:*}
    sets=""
    [[ $run == *:* ]] && sets=$(echo "${run#*:}" | tr ',' '\n' | sed 's/^/--set=/' | tr '\n' ' ')
    if (( $(step_of "$name") == low )); then
      # shellcheck disable=SC2086  # word splitting of C and sets is intended
      nice -n 5 $G train --quiet --log-every=5 $C $sets --out="$R/$name" --stop-after="$CHUNK" \
        >> "$R/$name.extend.log" 2>&1 || exit 1
    fi
  done
done
