"""400 64x64 patches of scikit-image's sample photographs, for tools/photo-bottleneck.sh.

Real pictures, not meadow scenes: 50 random crops (numpy rng 0) of each of astronaut, chelsea,
coffee, hubble_deep_field, immunohistochemistry, stereo_motorcycle (left view), retina and
rocket, interleaved. Usage: python make_photo_patches.py OUT_DIR (needs scikit-image, imageio).
"""
import numpy as np, sys, os, imageio.v3 as iio
from skimage import data
names = ["astronaut", "chelsea", "coffee", "hubble_deep_field", "immunohistochemistry", "motorcycle", "retina", "rocket"]
def load(n):
    if n == "motorcycle": return data.stereo_motorcycle()[0]
    return getattr(data, n)()
imgs = [load(n) for n in names]
rng = np.random.default_rng(0)
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
for k in range(400):
    n = names[k % 8]; im = imgs[k % 8]
    h, w = im.shape[:2]
    y = rng.integers(0, h - 64 + 1); x = rng.integers(0, w - 64 + 1)
    iio.imwrite(f"{out}/p{k:03d}-{n}.png", im[y:y+64, x:x+64, :3])
