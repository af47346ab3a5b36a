#!/usr/bin/python3
"""Build a high-resolution photo set (issue 20) from extracted Debian wallpaper packages.

usage: /usr/bin/python3 scripts/prep_hr.py X_DIR OUT_DIR
  X_DIR: folder holding the dpkg-deb -x trees X_DIR/mate-backgrounds,
  X_DIR/lomiri-wallpapers-20.04 and X_DIR/lomiri-wallpapers-16.04.
  OUT_DIR gets hr256/{train,test} and hr512/{train,test} (8-bit RGB PNG) and manifest.csv.
Only real photographs are used (the packages' illustrations and renders are left out). Each photo is cut
into a non-overlapping grid of 2N x 2N tiles, centred in the photo, and each tile is downsampled to N x N
by exact 2x2 averaging (PIL BOX), N = 256 and 512. Split by source photo: no test tile shares a photo with
a training tile. Deterministic (sorted inputs, no randomness).
"""
import csv, os, sys
from PIL import Image

X, OUT = sys.argv[1], sys.argv[2]
SOURCES = [('mate-backgrounds/usr/share/backgrounds/mate/nature', n + '.jpg') for n in
           ['Aqua', 'Blinds', 'Dune', 'FreshFlower', 'Garden', 'GreenMeadow', 'LadyBird', 'RainDrops',
            'Storm', 'TwoWings', 'Wood', 'YellowFlower']] + \
          [('lomiri-wallpapers-20.04/usr/share/backgrounds', n) for n in
           ['Infinite-Sea_by_Aury88.jpg', 'Kleiber_by_Lukas_Baubkus.jpg']] + \
          [('lomiri-wallpapers-16.04/usr/share/backgrounds', n) for n in
           ['Bridge_by_Sander_Klootwijk.jpg', 'Dragonfly_by_Bolly.jpg', 'Picture_0B_by_freespace.jpg',
            'Picture_1A_by_freespace.jpg', 'aitzgorri_by_Aitzol_Berasategi.jpg',
            'analogpattern_by_Peter_Nerlich.jpg', 'friends_by_Aitzol_Berasategi.jpg',
            'life_by_Aitzol_Berasategi.jpg', 'picosdeeuropa_by_Aitzol_Berasategi.jpg',
            'seeding_by_Clements_Engelhardt.jpg', 'sunset_by_Aitzol_Berasategi.jpg']]
TEST = {'LadyBird.jpg', 'Kleiber_by_Lukas_Baubkus.jpg'}
SIZES = (256, 512)

rows = []
for size in SIZES:
    for split in ('train', 'test'):
        os.makedirs(os.path.join(OUT, 'hr%d' % size, split), exist_ok=True)
for folder, name in SOURCES:
    im = Image.open(os.path.join(X, folder, name)).convert('RGB')
    w, h = im.size
    split = 'test' if name in TEST else 'train'
    stem = os.path.splitext(name)[0].split('_by_')[0]
    for size in SIZES:
        tile = 2 * size
        nx, ny = w // tile, h // tile
        ox, oy = (w - nx * tile) // 2, (h - ny * tile) // 2
        for gy in range(ny):
            for gx in range(nx):
                x, y = ox + gx * tile, oy + gy * tile
                fn = '%s_%02d_%02d.png' % (stem, gy, gx)
                im.crop((x, y, x + tile, y + tile)).resize((size, size), Image.BOX).save(
                    os.path.join(OUT, 'hr%d' % size, split, fn), optimize=True)
                rows.append((size, split, fn, folder.split('/')[0], name, x, y, tile))
with open(os.path.join(OUT, 'manifest.csv'), 'w', newline='') as f:
    wr = csv.writer(f)
    wr.writerow(['size', 'split', 'file', 'package', 'source', 'x', 'y', 'tile'])
    wr.writerows(rows)
for size in SIZES:
    for split in ('train', 'test'):
        print('hr%d/%s: %d' % (size, split, sum(r[0] == size and r[1] == split for r in rows)))
