#!/usr/bin/env bash
# A Spark standalone cluster on loopback from the jars of spark/target/lib (no Spark install):
# one Master and N Workers (1 core each), for gradncp's --master spark://127.0.0.1:PORT.
#   scripts/spark-cluster.sh start [N]   start (default 2 workers); prints the master URL
#   scripts/spark-cluster.sh stop        stop every process it started (by the pids it wrote)
# State (pids, logs, the SPARK_HOME the workers launch executors from) is under spark/target/cluster.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/spark/target/cluster"
PORT=${SPARK_MASTER_PORT:-7077}
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

start() {
    local n=${1:-2}
    [[ -d "$ROOT/spark/target/lib" ]] || { echo "build first: ./gradncp spark --help" >&2; exit 1; }
    mkdir -p "$DIR/home" "$DIR/logs"
    # A worker builds its executors' class path from SPARK_HOME/jars, which it uses only in a
    # release layout (a RELEASE file).
    ln -sfn "$ROOT/spark/target/lib" "$DIR/home/jars"
    touch "$DIR/home/RELEASE"
    mapfile -t OPTS < <(grep -v '^\s*\(#\|$\)' "$ROOT/spark/jvm.options")
    export SPARK_HOME="$DIR/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$DIR/logs"
    local cp="$ROOT/spark/target/lib/*"
    "$JAVA" "${OPTS[@]}" -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
        --port "$PORT" --webui-port 0 > "$DIR/logs/master.log" 2>&1 &
    echo $! > "$DIR/master.pid"
    for ((i = 1; i <= n; i++)); do
        mkdir -p "$DIR/work$i"
        "$JAVA" "${OPTS[@]}" -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
            --cores 1 --memory 3g --webui-port 0 --work-dir "$DIR/work$i" "spark://127.0.0.1:$PORT" \
            > "$DIR/logs/worker$i.log" 2>&1 &
        echo $! > "$DIR/worker$i.pid"
    done
    for _ in $(seq 300); do
        if (( $(grep -l 'Successfully registered with master' "$DIR"/logs/worker*.log 2>/dev/null | wc -l) >= n )); then
            echo "spark://127.0.0.1:$PORT"
            return 0
        fi
        sleep 1
    done
    echo "workers did not register; see $DIR/logs" >&2
    exit 1
}

stop() {
    local f
    for f in "$DIR"/worker*.pid "$DIR"/master.pid; do
        [[ -f "$f" ]] || continue
        kill "$(cat "$f")" 2>/dev/null || true
        rm -f "$f"
    done
}

case "${1:-}" in
    start) start "${2:-2}" ;;
    stop) stop ;;
    *) sed -n '2,7p' "$0" >&2; exit 2 ;;
esac
