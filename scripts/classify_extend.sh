#!/usr/bin/env bash
# Extends issue 16's classification runs (scripts/classify.sh) to STEPS outer steps: maml and
# gradncp of both settings round-robin in chunks of CHUNK steps, so the methods stay at equal outer
# steps however far a session gets; each chunk resumes from OUT/method/last.safetensors (raising
# outerSteps is allowed). Stops before a new chunk once the file R/STOP exists.
# Usage: STEPS=400 CHUNK=20 scripts/classify_extend.sh R [JAR]   (R holds w5s100/ and w10s50/)
set -euo pipefail
R=$1; JAR=${2:-target/gradncp-0.1.0-SNAPSHOT.jar}; STEPS=${STEPS:-400}; CHUNK=${CHUNK:-20}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
run() { "$JAVA" ${GRADNCP_JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -XX:MaxRAMPercentage=85 -XX:+UseSerialGC -Xmn128m -jar "$JAR" "$@" 2> >(grep -v 'incubator modules' >&2); }
sets() { # WAYS SHOTS METHOD: the settings of scripts/classify.sh with outerSteps=STEPS
    for kv in modality=classification decoder=conv4 data=builtin:glyphs channels=1 resolution=16 width=16 \
        innerSteps=2 innerLr=0.05 testSteps=3 outerLr=1e-3 metaBatch=1 bootSteps=2 bootLr=0.05 bootWeight=1 \
        contextRatio=0.25 evalEvery=0 testSignals=0 saveEvery=5 queries=15 ways=$1 shots=$2 method=$3 \
        outerSteps=$STEPS; do printf -- '--set\n%s\n' "$kv"; done
}
while :; do
    progressed=0
    for setting in "w5s100 5 100" "w10s50 10 50"; do
        read -r name ways shots <<< "$setting"
        for m in maml gradncp; do
            [ -e "$R/STOP" ] && exit 0
            s=$(grep -o '"step":[0-9]*' "$R/$name/$m/metrics.jsonl" 2>/dev/null | tail -1 | cut -d: -f2)
            if [ "${s:-0}" -lt "$STEPS" ]; then
                mapfile -t args < <(sets "$ways" "$shots" "$m")
                t0=$SECONDS
                run train "${args[@]}" --out "$R/$name/$m" --log-every 1 --quiet --stop-after "$CHUNK" \
                    >> "$R/$name/$m.train.log" 2>&1
                echo "train $name $m to $((s + CHUNK)): $((SECONDS - t0)) s wall" >> "$R/times.txt"
                progressed=1
            fi
        done
    done
    [ $progressed = 1 ] || break
done
