#!/usr/bin/env bash
# Fault drill for the run folder (issue 18): kill -9 at random moments during a small `train`, then
# resume, and compare with an uninterrupted run; two runs on one folder; SIGTERM to the launcher
# (between steps, during an in-run evaluation, and during the end-of-run evaluation);
# a full disk (tmpfs, root only). Prints one line per check and a summary; exits 1 if any failed.
#   scripts/faults.sh [KILLS]      (default 12 kills; 11.5 minutes on a heavily loaded 2-core machine)
# Runs a private copy of the launcher and the jar, so editing sources meanwhile does not rebuild it.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KILLS=${1:-12}
WORK=$(mktemp -d /tmp/gradncp-faults.XXXXXX)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
failures=0
trap 'umount "$WORK/disk" 2>/dev/null; rm -rf "$WORK"' EXIT

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

"$ROOT/gradncp" --version >/dev/null || { echo "FAIL build"; exit 1; }
mkdir -p "$WORK/app/target"
cp "$ROOT/gradncp" "$WORK/app/"
jar=$(ls -t "$ROOT"/target/gradncp-*.jar | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -n1)
cp "$jar" "$WORK/app/target/" && cp -r "$ROOT/target/lib" "$WORK/app/target/"
G="$WORK/app/gradncp"

# 40 outer steps, a checkpoint every 2 (so that many kills land in or near a checkpoint write),
# an evaluation every 10, a metrics row every step.
STEPS=40
ARGS=(--set data=builtin:text:12 --set resolution=16 --set width=32 --set depth=3 --set metaBatch=2
    --set innerSteps=2 --set bootSteps=1 --set evalEvery=10 --set saveEvery=2 --set testSignals=2
    --set outerLr=1e-3 --set testSteps=2 --set outerSteps=$STEPS --quiet --log-every 1)
train() { local out=$1; shift; "$G" train --out "$out" "${ARGS[@]}" "$@"; }

# Compares two run folders: every checkpoint tensor (max |a-b|), the metadata except provenance and the
# event file's length, and metrics.jsonl without its timing columns. Prints one line, exit 0 when equal.
compare() {
    "$PY" - "$1" "$2" <<'EOF'
import json, struct, sys, re
def ckpt(p):
    b = open(p, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n])
    meta = h.pop('__metadata__', {})
    meta.pop('provenance', None)
    meta.pop('events_bytes', None)  # a resume appends the config text event again, so the event file is longer
    data = b[8 + n:]
    t = {}
    for k, v in h.items():
        s, e = v['data_offsets']
        fmt = '<%d%s' % ((e - s) // (4 if v['dtype'] == 'F32' else 8), 'f' if v['dtype'] == 'F32' else 'd')
        t[k] = struct.unpack(fmt, data[s:e])
    return meta, t
def rows(p):
    out = []
    for line in open(p):
        r = json.loads(line)
        r.pop('ms', None); r.pop('cpu_ms', None); r.pop('peak_engine_bytes', None)
        out.append(r)
    return out
a, b = sys.argv[1], sys.argv[2]
ma, ta = ckpt(a + '/last.safetensors')
mb, tb = ckpt(b + '/last.safetensors')
diff = max((abs(x - y) for k in ta for x, y in zip(ta[k], tb[k])), default=0.0)
n = sum(len(v) for v in ta.values())
ra, rb = rows(a + '/metrics.jsonl'), rows(b + '/metrics.jsonl')
steps_a = [r['step'] for r in ra]; steps_b = [r['step'] for r in rb]
rowdiff = max((abs(x - y) for p, q in zip(ra, rb) for k in p for x, y in [(p[k], q.get(k, float('nan')))]), default=0.0)
if ma != mb:
    print('metadata keys that differ:', sorted(k for k in set(ma) | set(mb) if ma.get(k) != mb.get(k)), file=sys.stderr)
same = ma == mb and ta.keys() == tb.keys() and diff == 0.0 and steps_a == steps_b and ra == rb
print('%d tensors (%d values): max |diff| %.3g; metadata %s; metrics rows %d vs %d, steps %s, max |diff| %.3g'
      % (len(ta), n, diff, 'equal' if ma == mb else 'DIFFER', len(ra), len(rb),
         'equal' if steps_a == steps_b else 'DIFFER', rowdiff))
sys.exit(0 if same else 1)
EOF
}

temps() { find "$1" -name '*.tmp' | wc -l; }

echo "== uninterrupted reference run ($STEPS steps)"
t0=$(date +%s.%N)
train "$WORK/ref" >"$WORK/ref.log" 2>&1 || fail "reference run (see $WORK/ref.log)"
t1=$(date +%s.%N)
run_s=$(echo "$t1 - $t0" | bc)
echo "reference run: ${run_s}s"

echo "== $KILLS x kill -9 at random moments, then resume"
F="$WORK/faulty"
kills=0 orphans=0 early=0
laststep() { tail -n1 "$1/metrics.jsonl" 2>/dev/null | grep -o '"step":[0-9]*' | cut -d: -f2; }
for (( i = 1; i <= KILLS; i++ )); do
    # Kill i lands after metrics row i*STEPS/(KILLS+1): odd kills up to 0.3 s later, wherever the run
    # then is (a step, a metrics append, an evaluation), even kills as soon as a checkpoint write
    # has created its temp file (mid-write).
    target=$(( i * STEPS / (KILLS + 1) ))
    "$G" train --out "$F" "${ARGS[@]}" >>"$WORK/faulty.log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null && (( $(laststep "$F" || echo 0) + 0 < target )); do sleep 0.05; done
    if (( i % 2 == 0 )); then
        # Aimed mid-write: spin until a checkpoint's temp file exists, then kill at once.
        for (( n = 0; n < 200000; n++ )); do
            compgen -G "$F/.last.safetensors.*.tmp" >/dev/null && break
            kill -0 "$pid" 2>/dev/null || break
        done
    else
        sleep "$("$PY" -c 'import random; print(round(random.random() * 0.3, 3))')"
    fi
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null
        kills=$((kills + 1))
        left=$(temps "$F")
        orphans=$((orphans + (left > 0)))
        echo "kill $kills (aimed after step $target): last metrics row step $(laststep "$F"), temp files left: $left"
    else
        wait "$pid"; early=$((early + 1))
        echo "run $i ended before its kill (exit $?)"
    fi
done
train "$F" >>"$WORK/faulty.log" 2>&1 || fail "final resume (see $WORK/faulty.log)"
echo "kills: $kills; $orphans of them left a temp file from a checkpoint write cut short; $early runs ended first"
if cmp=$(compare "$WORK/ref" "$F"); then pass "kill -9 x$kills then resume equals the uninterrupted run: $cmp"
else fail "kill -9 x$kills then resume: $cmp"; fi
n=$(temps "$F"); (( n == 0 )) && pass "no temp file left" || fail "$n temp files left in $F"

echo "== two runs on one folder"
C="$WORK/concurrent"
LONG=(--set outerSteps=100000)   # long enough to still run while the second one starts
"$G" train --out "$C" "${ARGS[@]}" "${LONG[@]}" >"$WORK/c1.log" 2>&1 &
p1=$!
for _ in $(seq 100); do [[ -s "$C/metrics.jsonl" ]] && break; sleep 0.1; done
train "$C" "${LONG[@]}" >"$WORK/c2.log" 2>&1; rc=$?
msg=$(grep 'gradncp: error' "$WORK/c2.log")
if (( rc == 1 )) && [[ "$msg" == *"is in use by another run (pid $p1@"* ]]; then pass "second run refused (exit 1): $msg"
else fail "second run on a busy folder: exit $rc, '$msg'"; fi
kill -9 "$p1"; wait "$p1" 2>/dev/null
train "$C" "${LONG[@]}" --stop-after 1 >"$WORK/c3.log" 2>&1 && pass "after kill -9 of the holder the folder is free again" \
    || fail "folder still locked after its holder died (see $WORK/c3.log)"

echo "== SIGTERM to the launcher"
S="$WORK/sigterm"
"$G" train --out "$S" "${ARGS[@]}" >"$WORK/s1.log" 2>&1 &
p=$!
for _ in $(seq 100); do [[ -s "$S/metrics.jsonl" ]] && break; sleep 0.1; done
sleep 0.5
kill -TERM "$p"; wait "$p"; rc=$?
sleep 0.5
alive=$(pgrep -f -- "--out $S " | wc -l)
stopped=$(grep -o 'stopped at step [0-9]*' "$WORK/s1.log")
if (( alive == 0 )) && [[ -n "$stopped" ]]; then pass "SIGTERM: launcher exit $rc, no JVM left, '$stopped' with a checkpoint"
else fail "SIGTERM: exit $rc, $alive processes left, log: $(tail -n2 "$WORK/s1.log" | tr '\n' ' ')"; fi
train "$S" >"$WORK/s2.log" 2>&1 || fail "resume after SIGTERM (see $WORK/s2.log)"
grep -q 'resumed from' "$WORK/s2.log" || fail "the run after SIGTERM did not resume"
if cmp=$(compare "$WORK/ref" "$S"); then pass "SIGTERM then resume equals the uninterrupted run: $cmp"
else fail "SIGTERM then resume: $cmp"; fi

echo "== SIGTERM during the final evaluation"
E="$WORK/sigterm-eval"
# A finished run's end-of-run evaluation (here 400 test signals at 400 steps: about a minute) comes
# after its final checkpoint, so a SIGTERM there ends the process at once; a rerun re-evaluates.
"$G" train --out "$E" "${ARGS[@]}" --set outerSteps=2 --set testSignals=400 --set testSteps=400 >"$WORK/e1.log" 2>&1 &
p=$!
for _ in $(seq 600); do [[ -s "$E/last.safetensors" ]] && grep -q '"step":2' "$E/metrics.jsonl" 2>/dev/null && break; sleep 0.1; done
sleep 1
t0=$(date +%s%N); kill -TERM "$p"; wait "$p"; rc=$?; t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
rows=$(wc -l <"$E/metrics.jsonl")
if (( ms < 5000 )) && (( rows == 2 )); then pass "SIGTERM in the final evaluation: exit $rc after $ms ms, checkpoint and 2 step rows kept"
else fail "SIGTERM in the final evaluation: exit $rc after $ms ms, $rows metrics rows"; fi

echo "== SIGTERM during an in-run evaluation"
M="$WORK/sigterm-midrun"
# An evaluation every 2 of 4 steps, each about a minute long: a SIGTERM during the one at step 2 ends
# the process after the current batch (of 2 signals) with the step-2 checkpoint; the rerun resumes there
# (and stops after one more step, before any evaluation).
MID=(--set outerSteps=4 --set evalEvery=2 --set saveEvery=4 --set testSignals=400 --set testSteps=400)
"$G" train --out "$M" "${ARGS[@]}" "${MID[@]}" >"$WORK/m1.log" 2>&1 &
p=$!
for _ in $(seq 600); do grep -q '"step":2' "$M/metrics.jsonl" 2>/dev/null && break; sleep 0.1; done
sleep 1
t0=$(date +%s%N); kill -TERM "$p"; wait "$p"; rc=$?; t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
"$G" train --out "$M" "${ARGS[@]}" "${MID[@]}" --stop-after 1 >"$WORK/m2.log" 2>&1 || fail "resume after SIGTERM in an in-run evaluation (see $WORK/m2.log)"
if (( ms < 5000 )) && grep -q 'cut short' "$WORK/m1.log" && grep -q 'resumed from.*step 2' "$WORK/m2.log"; then
    pass "SIGTERM in an in-run evaluation: exit $rc after $ms ms, resumed from step 2"
else fail "SIGTERM in an in-run evaluation: exit $rc after $ms ms (see $WORK/m1.log, $WORK/m2.log)"; fi

echo "== full disk"
D="$WORK/disk"
mkdir -p "$D"
if [[ $(id -u) != 0 ]]; then
    echo "SKIP full disk: needs root to mount a tmpfs"
elif ! mount -t tmpfs -o size=2m tmpfs "$D" 2>/dev/null; then
    echo "SKIP full disk: cannot mount a tmpfs here"
else
    train "$D/run" --stop-after 4 >"$WORK/d1.log" 2>&1 || fail "first run on the tmpfs (see $WORK/d1.log)"
    before=$(sha256sum "$D/run/last.safetensors" | cut -d' ' -f1)
    # Fill the disk, leaving room for half a checkpoint.
    size=$(stat -c %s "$D/run/last.safetensors")
    free=$(( $(stat -f -c '%a*%S' "$D") ))
    fallocate -l $(( free - size / 2 )) "$D/filler" 2>/dev/null \
        || dd if=/dev/zero of="$D/filler" bs=1k count=$(( (free - size / 2) / 1024 )) 2>/dev/null
    train "$D/run" >"$WORK/d2.log" 2>&1; rc=$?
    msg=$(grep 'gradncp: error' "$WORK/d2.log")
    after=$(sha256sum "$D/run/last.safetensors" | cut -d' ' -f1)
    n=$(temps "$D/run")
    if (( rc == 1 )) && [[ "$msg" == *"$D/run/"*"No space left on device"* ]] && [[ $before == "$after" ]] && (( n == 0 )); then
        pass "full disk: exit 1, '$msg'; previous checkpoint intact, no temp file left"
    else
        fail "full disk: exit $rc, '$msg', checkpoint $([[ $before == "$after" ]] && echo intact || echo CHANGED), $n temp files"
    fi
    rm -f "$D/filler"
    train "$D/run" >"$WORK/d3.log" 2>&1 && grep -q 'resumed from' "$WORK/d3.log" \
        && pass "full disk: resumes once there is room again" || fail "no resume after the disk was freed (see $WORK/d3.log)"
    umount "$D"
fi

echo "== summary: $failures failed"
(( failures == 0 ))
