#!/usr/bin/env bash
# Issue 20: the paper-size runs, one JVM at a time, round-robin in chunks of CHUNK outer steps so that
# the runs of a comparison stay at equal outer steps however far a session gets. Every call resumes
# each run from OUT/NAME/last.safetensors; a run at TARGET steps is skipped.
# usage: scripts/paper_runs.sh [TARGET] [CHUNK] [RUNS...]   (defaults 200, 5, the list below)
# Random inits are evaluated once (their run has no outer steps; done when its metrics.jsonl holds
# the evaluation). Logs go to OUT/NAME.log, the queue's progress to OUT/queue.log.
# A chunk ends at the next multiple of CHUNK, and the checkpoint there is copied to
# OUT/NAME/stepS.safetensors, so that equal-time comparisons can evaluate an earlier step.
# JAR=path runs that jar (a frozen copy with its lib/ beside it) instead of the launcher, so that
# rebuilding target/ while the queue runs cannot change or break the runs. SETS: more train options
# for every run (e.g. SETS="--set evalEvery=0" to leave the test evaluations to `eval` afterwards).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/paper}
TARGET=${1:-200}
CHUNK=${2:-5}
shift 2 2>/dev/null || shift $#
RUNS=("$@")
[ ${#RUNS[@]} -gt 0 ] || RUNS=(audio_1s_random hr256_random audio_1s_maml audio_1s_gradncp hr256_maml hr256_gradncp)
mkdir -p "$OUT"
steps_of() { # last outer step in a run's metrics.jsonl (0 when none)
  [ -f "$OUT/$1/metrics.jsonl" ] || { echo 0; return; }
  grep -o '"step":[0-9]*' "$OUT/$1/metrics.jsonl" | tail -1 | cut -d: -f2
}
run() { # NAME: config and overrides from the name
  local name=$1 cfg extra=()
  case $name in
    *_random) cfg=configs/${name%_random}_maml.yaml; extra=(--set method=random)
              [ "${name%%_*}" = audio ] && cfg=configs/$name.yaml ;;
    *) cfg=configs/$name.yaml ;;
  esac
  local s n
  s=$(steps_of "$name"); n=$((CHUNK - s % CHUNK))
  local cmd=(./gradncp)
  [ -n "${JAR:-}" ] && cmd=("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --add-modules jdk.incubator.vector
    --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=85 -XX:+UseSerialGC -Xmn128m
    ${GRADNCP_JAVA_OPTS:-} -jar "$JAR")
  nice -n 5 "${cmd[@]}" train --config "$cfg" "${extra[@]}" ${SETS:-} --log-every 1 --quiet --out "$OUT/$name" \
    --stop-after "$n" >> "$OUT/$name.log" 2>&1 || return $?
  s=$(steps_of "$name")
  [ "$s" -gt 0 ] && [ $((s % CHUNK)) = 0 ] && cp "$OUT/$name/last.safetensors" "$OUT/$name/step$s.safetensors"
  return 0
}
while :; do
  progressed=0
  for name in "${RUNS[@]}"; do
    if [[ $name == *_random ]]; then
      grep -q test_psnr "$OUT/$name/metrics.jsonl" 2>/dev/null || { run "$name"; progressed=1; }
      continue
    fi
    s=$(steps_of "$name")
    if [ "$s" -lt "$TARGET" ]; then
      echo "$(date -u +%FT%TZ) $name at step $s" >> "$OUT/queue.log"
      run "$name" || echo "$(date -u +%FT%TZ) $name exited $?" >> "$OUT/queue.log"
      progressed=1
    fi
  done
  [ $progressed = 1 ] || break
done
echo "$(date -u +%FT%TZ) all runs at $TARGET steps" >> "$OUT/queue.log"
