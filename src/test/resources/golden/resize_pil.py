#!/usr/bin/env python3
"""PIL reference for ImagesTest.folderLoaderMatchesPilBilinear: a seeded 37x29 RGB image
(source.png, noise plus a gradient) is centre-cropped to 29x29 and resized to 16x16 and 48x48
with PIL Image.BILINEAR, exactly as the GradNCP reference's load_image_folder does.
Run from src/test/resources/golden:  /usr/bin/python3 resize_pil.py   (numpy + PIL)"""
import numpy as np
from PIL import Image

rng = np.random.RandomState(0)
h, w = 29, 37
yy, xx = np.mgrid[0:h, 0:w]
img = 0.5 * rng.rand(h, w, 3) + 0.5 * np.stack([xx / w, yy / h, (xx + yy) / (w + h)], -1)
Image.fromarray((img * 255).round().astype(np.uint8)).save("resize/source.png")
im = Image.open("resize/source.png").convert("RGB")
s = min(im.size); l, t = (im.size[0] - s) // 2, (im.size[1] - s) // 2
for r in (16, 48):
    im.crop((l, t, l + s, t + s)).resize((r, r), Image.BILINEAR).save(f"resize/pil_{r}.png")
