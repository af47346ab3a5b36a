#!/usr/bin/env bash
# The built-in inits of issue 19 (README.md "Ready-made inits", RESULTS.md): how they were trained
# and shipped, and the held-out fits and the ONNX decode shown in the README.
#
#   scripts/builtin_inits.sh train     meta-train both inits (resumable; each run continues from its checkpoint)
#   scripts/builtin_inits.sh ship      write them, without optimiser state, to src/main/resources/gradncp/inits/
#   scripts/builtin_inits.sh figures   random vs builtin:photos on a held-out photo (16 steps), ONNX 4x decode
#
# GRADNCP (default ./gradncp) runs the CLI; ORT is the ONNX Runtime jar for scripts/OnnxDecode.java.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
GRADNCP=${GRADNCP:-./gradncp}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ORT=${ORT:-$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.22.0/onnxruntime-1.22.0.jar}
OUT=${OUT:-runs/builtin}
DATA=../shared/data
# photos: the photos64 GradNCP config with a 4 x 128 SIREN (135 KB of float32), 64 px, meta-batch 4,
# outer lr 1e-4; the run was stopped (checkpointed) at PHOTOS_STEPS of a 1500-step schedule
# (the outer lr is constant, so the schedule's length changes nothing before the stop).
PHOTOS=(--config configs/photos64_gradncp.yaml --set width=128 --set depth=4 --set metaBatch=4
        --set outerLr=1e-4 --set outerSteps=1500 --set evalEvery=500 --set saveEvery=100)
PHOTOS_STEPS=${PHOTOS_STEPS:-500}
# text: configs/text_gradncp_small.yaml as it is (32 px, 4 x 128, 300 outer steps; the demo's run)
TEXT=(--config configs/text_gradncp_small.yaml)
HELD_OUT=$DATA/photos-hr/512/Dune.png   # Dune is a photos64 test photo: no patch of it is in train/

case "${1:-}" in
train)
    $GRADNCP train "${PHOTOS[@]}" --stop-after "$PHOTOS_STEPS" --log-every 10 --quiet --out "$OUT/photos"
    $GRADNCP train "${TEXT[@]}" --log-every 10 --quiet --out "$OUT/text"
    ;;
ship)
    mkdir -p src/main/resources/gradncp/inits
    for n in photos text; do
        $GRADNCP export --checkpoint "$OUT/$n/last.safetensors" --format safetensors \
            --out src/main/resources/gradncp/inits/$n.safetensors
    done
    ;;
figures)
    # the random SIREN init of each network (method=random: no outer step; train evaluates it on the
    # same test signals as the meta-trained run, into its metrics.jsonl)
    [[ -f $OUT/photos_random/last.safetensors ]] \
        || $GRADNCP train "${PHOTOS[@]}" --set method=random --quiet --out "$OUT/photos_random"
    [[ -f $OUT/text_random/last.safetensors ]] \
        || $GRADNCP train "${TEXT[@]}" --set method=random --quiet --out "$OUT/text_random"
    for init in random builtin; do
        ck=$OUT/photos_random/last.safetensors
        [[ $init == builtin ]] && ck=builtin:photos
        $GRADNCP fit --checkpoint "$ck" --input "$HELD_OUT" --steps 16 --out "$OUT/fit_${init}_plain" \
            | tee "$OUT/fit_${init}_plain.txt"
        $GRADNCP fit --checkpoint "$ck" --input "$HELD_OUT" --steps 16 --rescale --out "$OUT/fit_${init}_rescaled" \
            | tee "$OUT/fit_${init}_rescaled.txt"
    done
    $GRADNCP export --checkpoint "$OUT/fit_builtin_rescaled/Dune.field.safetensors" --format onnx --out "$OUT/dune.onnx"
    $JAVA --enable-native-access=ALL-UNNAMED -cp "$ORT" scripts/OnnxDecode.java "$OUT/dune.onnx" 64 "$OUT/dune_onnx_64.png"
    $JAVA --enable-native-access=ALL-UNNAMED -cp "$ORT" scripts/OnnxDecode.java "$OUT/dune.onnx" 256 "$OUT/dune_onnx_256.png"
    psnr() { sed -n 's/.*psnr \([0-9.]*\) dB.*/\1/p' "$1"; }
    /usr/bin/python3 -c "from PIL import Image; Image.open('$HELD_OUT').resize((64, 64), Image.LANCZOS).save('$OUT/dune_64.png')"
    /usr/bin/python3 scripts/builtin_figure.py docs/builtin-photos-heldout.png 3 \
        "$OUT/dune_64.png=held-out photo (64 px)" \
        "$OUT/fit_random_plain/Dune_64px.png=random init, 16 steps|$(psnr "$OUT/fit_random_plain.txt") dB" \
        "$OUT/fit_random_rescaled/Dune_64px.png=random init, 16 rescaled|$(psnr "$OUT/fit_random_rescaled.txt") dB" \
        "$OUT/fit_builtin_plain/Dune_64px.png=builtin:photos, 16 steps|$(psnr "$OUT/fit_builtin_plain.txt") dB" \
        "$OUT/fit_builtin_rescaled/Dune_64px.png=builtin:photos, 16 rescaled|$(psnr "$OUT/fit_builtin_rescaled.txt") dB"
    /usr/bin/python3 -c "from PIL import Image; Image.open('$OUT/dune_onnx_64.png').resize((256, 256), Image.NEAREST).save('$OUT/dune_onnx_64_shown4x.png')"
    /usr/bin/python3 scripts/builtin_figure.py docs/onnx-4x-decode.png 1 \
        "$OUT/dune_onnx_64_shown4x.png=ONNX Runtime on the 64 px training grid|(pixels shown 4x)" \
        "$OUT/dune_onnx_256.png=ONNX Runtime at 256 px|(4x the training resolution)"
    ;;
*)
    sed -n '2,10p' "$0"; exit 2 ;;
esac
