#!/usr/bin/env bash
# Classification results of issue 16 (RESULTS.md, "Classification (issue 16)"): meta-train maml
# (full support) and gradncp (pruned support, same K) Conv-4 inits on the built-in glyphs, then
# evaluate both on meta-test episodes. Usage: scripts/classify.sh OUT WAYS SHOTS OUTER_STEPS EPISODES [JAR]
# Optional: INNER (inner steps, default 2), METHODS (default "gradncp maml"), GRADNCP_JAVA_OPTS.
# Runs one JVM at a time; resumes a training that was stopped (same OUT).
set -euo pipefail
OUT=$1; WAYS=$2; SHOTS=$3; STEPS=$4; EPISODES=$5
JAR=${6:-target/gradncp-0.1.0-SNAPSHOT.jar}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
run() { "$JAVA" ${GRADNCP_JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=85 \
    -XX:+UseSerialGC -Xmn128m -jar "$JAR" "$@" 2> >(grep -v 'incubator modules' >&2); }
COMMON=(modality=classification decoder=conv4 data=builtin:glyphs channels=1 resolution=16 width=16
    innerSteps=${INNER:-2} innerLr=0.05 testSteps=3 outerLr=1e-3 metaBatch=1 bootSteps=2 bootLr=0.05 bootWeight=1
    contextRatio=0.25 evalEvery=0 testSignals=0 saveEvery=5 queries=15 ways=$WAYS shots=$SHOTS outerSteps=$STEPS)
sets() { for kv in "${COMMON[@]}" "$@"; do printf -- '--set\n%s\n' "$kv"; done; }
mkdir -p "$OUT"
for method in ${METHODS:-gradncp maml}; do
    mapfile -t args < <(sets method=$method)
    t0=$SECONDS
    run train "${args[@]}" --out "$OUT/$method" --log-every 1 --quiet >> "$OUT/$method.train.log" 2>&1
    echo "train $method: $((SECONDS - t0)) s wall" | tee -a "$OUT/times.txt"
done
for method in ${METHODS:-gradncp maml}; do
    t0=$SECONDS
    run eval --checkpoint "$OUT/$method/last.safetensors" --data builtin:glyphs --episodes "$EPISODES" --steps 3 \
        --protocols plain --batch 1 --json > "$OUT/$method.eval.json" 2>> "$OUT/$method.eval.log"
    echo "eval $method: $((SECONDS - t0)) s wall" | tee -a "$OUT/times.txt"
done
