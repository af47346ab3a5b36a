"""Side-by-side figure of fits, for README.md (issue 19).

usage: builtin_figure.py OUT.png SCALE IMAGE=LABEL [IMAGE=LABEL ...]

Each image is scaled by SCALE with nearest-neighbour (pixels stay visible) and drawn in a row
with its label (use '|' in a label for a second line). Needs Pillow (Debian: python3-pil).
"""
import sys

from PIL import Image, ImageDraw


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    out, scale = argv[1], int(argv[2])
    tiles = []
    for arg in argv[3:]:
        path, label = arg.split("=", 1)
        img = Image.open(path).convert("RGB")
        if scale != 1:
            img = img.resize((img.width * scale, img.height * scale), Image.NEAREST)
        tiles.append((img, label.split("|")))
    pad, text_h = 8, 34
    w = sum(t.width for t, _ in tiles) + pad * (len(tiles) + 1)
    h = max(t.height for t, _ in tiles) + text_h + 2 * pad
    sheet = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(sheet)
    x = pad
    for img, lines in tiles:
        sheet.paste(img, (x, pad))
        for k, line in enumerate(lines):
            draw.text((x, pad + img.height + 4 + 14 * k), line, fill="black")
        x += img.width + pad
    sheet.save(out)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv)
