#!/usr/bin/env bash
# Issue 20: test scores of training checkpoints, one JVM at a time. For each RUN:STEP, evaluates
# OUT/RUN/stepSTEP.safetensors (STEP 0: OUT/RUN/last.safetensors of a random-init run) on the
# first LIMIT test signals with `eval --json` (16 plain and 16 rescaled steps), keeps the JSON in
# OUT/RUN/evalSTEP.json and appends {"step", "test_psnr_plain", ...} to OUT/RUN/evals.jsonl (which
# scripts/plot_curves.py draws). A RUN:STEP whose eval JSON exists is skipped; rerun to resume.
# usage: LIMIT=8 DATA=runs/data-hr/hr256/test scripts/paper_evals.sh RUN:STEP [RUN:STEP ...]
# JAR=path runs a frozen jar instead of the launcher (as in scripts/paper_runs.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/paper2}
LIMIT=${LIMIT:-0}
for spec in "$@"; do
  run=${spec%%:*} step=${spec##*:}
  ckpt=$OUT/$run/step$step.safetensors
  [ "$step" = 0 ] && ckpt=$OUT/$run/last.safetensors
  json=$OUT/$run/eval$step.json
  [ -s "$json" ] && continue
  cmd=(./gradncp)
  [ -n "${JAR:-}" ] && cmd=("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --add-modules jdk.incubator.vector
    --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=85 -XX:+UseSerialGC -Xmn128m
    ${GRADNCP_JAVA_OPTS:-} -jar "$JAR")
  t0=$(date +%s)
  nice -n 5 "${cmd[@]}" eval --checkpoint "$ckpt" --data "$DATA" --limit "$LIMIT" --batch "${BATCH:-4}" --json \
    > "$json.tmp" 2>> "$OUT/$run.eval.log" || { echo "$run:$step failed" >&2; rm -f "$json.tmp"; continue; }
  mv "$json.tmp" "$json"
  echo "$(date -u +%FT%TZ) $run:$step $(( $(date +%s) - t0 )) s" >> "$OUT/evals.log"
  /usr/bin/python3 - "$json" "$step" >> "$OUT/$run/evals.jsonl" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
row = {'step': int(sys.argv[2]), 'test_psnr_plain': e['psnr_plain'], 'test_psnr_rescaled': e['psnr_rescaled'],
       'test_signals': e['n_signals']}
if e.get('ssim_plain') is not None:
    row.update(test_ssim_plain=e['ssim_plain'], test_ssim_rescaled=e['ssim_rescaled'])
print(json.dumps(row))
PY
done
