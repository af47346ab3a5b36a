#!/usr/bin/env bash
# Runs gradncp.meta.HorizonRun (test classes) on a fixture directory written by scripts/ref_horizon.py:
#   scripts/java_horizon.sh DIR float64|float32 STEPS SAVE|- [key=value ...]
# Build first: ./mvnw -B -q -o -DskipTests package test-compile (dependencies go to target/lib).
# The compiled classes are copied first, so rebuilding while a long run goes on does not affect it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
SNAP=$(mktemp -d)
trap 'rm -rf "$SNAP"' EXIT
cp -r "$ROOT/target/classes" "$ROOT/target/test-classes" "$SNAP/"
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmn128m \
    ${GRADNCP_JAVA_OPTS:-} -cp "$SNAP/classes:$SNAP/test-classes:$ROOT/target/lib/*" \
    gradncp.meta.HorizonRun "$@" 2> >(grep -v '^WARNING: Using incubator modules' >&2)
