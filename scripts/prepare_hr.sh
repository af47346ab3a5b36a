#!/bin/bash
# Build the high-resolution photo set of issue 20 (hr256, hr512) from Debian bookworm packages, the way
# ../shared/data/prepare.sh builds photos64. The images are not committed; this script makes them.
# usage: bash scripts/prepare_hr.sh [OUT_DIR]   (default runs/data-hr; WORK, default a new temporary
# folder, holds the .debs). Needs python3-pil (Debian) and apt-get download (Debian 12 main).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(mkdir -p "${1:-$HERE/../runs/data-hr}" && cd "${1:-$HERE/../runs/data-hr}" && pwd)
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd)
PKGS="mate-backgrounds=1.26.0-1 lomiri-wallpapers-20.04=20.04.0-2 lomiri-wallpapers-16.04=20.04.0-2"
mkdir -p "$WORK/debs" "$WORK/x"
cd "$WORK/debs"
apt-get download $PKGS            # "unsandboxed as root" warning is harmless
sha256sum -c "$HERE/hr_debs.sha256"
for d in mate-backgrounds lomiri-wallpapers-20.04 lomiri-wallpapers-16.04; do
  rm -rf "$WORK/x/$d"; dpkg-deb -x "$d"_*.deb "$WORK/x/$d"
done
rm -rf "${OUT:?}/hr256" "${OUT:?}/hr512"
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$HERE/prep_hr.py" "$WORK/x" "$OUT"
mkdir -p "$OUT/licenses"
for d in mate-backgrounds lomiri-wallpapers-20.04 lomiri-wallpapers-16.04; do
  cp "$WORK/x/$d/usr/share/doc/$d/copyright" "$OUT/licenses/$d.copyright"
done
du -sh "$OUT"
