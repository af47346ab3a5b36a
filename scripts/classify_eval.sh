#!/usr/bin/env bash
# Issue 16's table (RESULTS.md, "Classification (issue 16)"): meta-test accuracy over EPISODES
# episodes of the maml and gradncp inits of both settings, one JVM at a time, in priority order
# (maml plain, gradncp plain for both settings, then gradncp rescaled), so that a session cut short
# still has the head-to-head rows. Skips an eval whose JSON exists.
# Usage: EPISODES=600 scripts/classify_eval.sh RUNS OUT [JAR]   (RUNS holds w5s100/ and w10s50/)
set -euo pipefail
RUNS=$1; OUT=$2; JAR=${3:-target/gradncp-0.1.0-SNAPSHOT.jar}; EPISODES=${EPISODES:-600}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
mkdir -p "$OUT"
for job in "w5s100 maml plain" "w5s100 gradncp plain" "w10s50 maml plain" "w10s50 gradncp plain" \
        "w5s100 gradncp rescaled" "w10s50 gradncp rescaled"; do
    read -r setting method protocol <<< "$job"
    json="$OUT/$setting-$method-$protocol.json"
    [ -s "$json" ] && continue
    t0=$SECONDS
    "$JAVA" ${GRADNCP_JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
        -XX:MaxRAMPercentage=85 -XX:+UseSerialGC -Xmn128m -jar "$JAR" eval \
        --checkpoint "$RUNS/$setting/$method/last.safetensors" --data builtin:glyphs --episodes "$EPISODES" \
        --steps 3 --protocols "$protocol" --batch 1 --json > "$json.part" 2> >(grep -v 'incubator modules' >&2)
    mv "$json.part" "$json"
    echo "eval $setting $method $protocol $EPISODES episodes: $((SECONDS - t0)) s wall" >> "$OUT/times.txt"
done
