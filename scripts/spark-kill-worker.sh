#!/usr/bin/env bash
# Kill -9 of an executor JVM during a distributed fit on a loopback standalone cluster (issue 17):
# the fit still ends with every input row exactly once. Steps: start a Master and 2 Workers
# (scripts/spark-cluster.sh), convert the first N Fashion-MNIST test images to Parquet, start
# the fit, kill -9 the executor of worker 1 once some tasks are done, wait for the fit, then
# export the rows to .npz (which fails on a duplicate path) and count rows and distinct paths
# with NumPy; a rerun must find nothing left to fit.
#   scripts/spark-kill-worker.sh CHECKPOINT [N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CKPT=$(realpath "$1")
N=${2:-192}
WORK="$ROOT/runs/kill-test"
DATA=${FASHION:-$ROOT/../shared/data/fashion-mnist}
cd "$ROOT"
rm -rf "$WORK" && mkdir -p "$WORK"
./gradncp spark to-parquet --master 'local[1]' --images "$DATA/t10k-images-idx3-ubyte.gz" \
    --labels "$DATA/t10k-labels-idx1-ubyte.gz" --limit "$N" --out "$WORK/input.parquet"
trap 'scripts/spark-cluster.sh stop' EXIT
MASTER=$(scripts/spark-cluster.sh start 2)
echo "cluster: $MASTER"
./gradncp fit --master "$MASTER" --checkpoint "$CKPT" --input "$WORK/input.parquet" --steps 16 --rescale \
    --batch 4 --partitions 24 --out "$WORK/functa" > "$WORK/fit.log" 2>&1 &
FIT=$!
W1=$(cat spark/target/cluster/worker1.pid)
EXEC=
for _ in $(seq 300); do
    EXEC=$(pgrep -P "$W1" java || true)
    # Wait until the executor has finished a few tasks (its log says so), then kill it mid-job.
    if [[ -n "$EXEC" ]] && (( $(cat spark/target/cluster/work1/*/*/stderr 2>/dev/null \
            | grep -c 'Finished task' || true) >= 3 )); then
        break
    fi
    sleep 1
done
[[ -n "$EXEC" ]] || { echo "no executor appeared on worker 1" >&2; exit 1; }
echo "kill -9 executor pid $EXEC of worker 1 at $(date -u +%T)"
kill -9 "$EXEC"
wait "$FIT" && echo "fit exit code 0" || { echo "fit failed"; cat "$WORK/fit.log"; exit 1; }
grep -v ' WARN \| INFO ' "$WORK/fit.log" || true
grep -c 'Lost executor\|ExecutorLost\|lost' "$WORK/fit.log" | sed 's/^/log lines about the lost executor: /'
./gradncp spark export --master 'local[1]' --functa "$WORK/functa" --npz "$WORK/functa.npz"
/usr/bin/python3 -c "
import numpy as np, sys
z = np.load('$WORK/functa.npz')
p = z['paths']; n = len(p); u = len(set(p.tolist()))
print(f'rows {n}, distinct paths {u}, params {z[\"params\"].shape}, labels {np.bincount(z[\"labels\"])}')
sys.exit(0 if n == u == $N else 1)"
./gradncp fit --master 'local[1]' --checkpoint "$CKPT" --input "$WORK/input.parquet" --steps 16 --rescale \
    --out "$WORK/functa" 2>/dev/null
