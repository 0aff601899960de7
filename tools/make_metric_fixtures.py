#!/usr/bin/env python3
"""Makes Tests/CourseKitTests/Fixtures/metrics.json: small image pairs and the PSNR, SSIM and band
PSNR that scikit-image / scipy compute for them. CourseKit's metrics must agree within 1e-4.

    pip install scikit-image==0.26.0 numpy scipy
    python3 tools/make_metric_fixtures.py

Images are stored as 8-bit values in hex (byte v is the value v / 255), planar [C, H, W], so Swift
reads exactly what Python scored. References:
  psnr      = peak_signal_noise_ratio(a, b, data_range=1)           (channels pooled)
  ssim      = structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
                                    use_sample_covariance=False, data_range=1, channel_axis=0)
  psnr_low  = PSNR of gaussian_filter(x, sigma=(0, 2, 2), mode="reflect", truncate=4.0) of both
  psnr_high = PSNR of x - that blur, for both
"""
import json
import os

import numpy as np
import scipy
import skimage
from scipy.ndimage import gaussian_filter
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

rng = np.random.default_rng(20040601)


def smooth_image(c, h, w):
    """A target with structure at several scales: gradients, a disc, a few 1-px lines, noise."""
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    img = np.empty((c, h, w))
    for ch in range(c):
        a, b = rng.uniform(-1, 1, 2)
        img[ch] = 0.5 + 0.25 * (a * x + b * y)
        cy, cx, r = rng.uniform(0.3, 0.7) * h, rng.uniform(0.3, 0.7) * w, rng.uniform(3, 8)
        img[ch][(np.mgrid[0:h, 0:w][0] - cy) ** 2 + (np.mgrid[0:h, 0:w][1] - cx) ** 2 < r * r] += 0.2
        img[ch][:, rng.integers(0, w, 3)] -= 0.15
        img[ch] += rng.normal(0, 0.03, (h, w))
    return img


def quantize(img):
    return np.clip(np.round(img * 255), 0, 255).astype(np.uint8)


def degrade(target, kind):
    """A plausible prediction: noisy, blurred (lost detail), or color-shifted (wrong big picture)."""
    t = target.astype(np.float64) / 255
    if kind == "noise":
        p = t + rng.normal(0, 0.06, t.shape)
    elif kind == "blur":
        p = gaussian_filter(t, sigma=(0, 1.5, 1.5))
    else:  # shift
        p = t + rng.uniform(-0.15, 0.15, (t.shape[0], 1, 1)) + rng.normal(0, 0.01, t.shape)
    return quantize(p)


def psnr(a, b):
    return float(peak_signal_noise_ratio(a, b, data_range=1))


cases = []
for name, (c, h, w), kind in [
    ("gray 24x24 noise", (1, 24, 24), "noise"),
    ("gray 24x24 blur", (1, 24, 24), "blur"),
    ("gray 11x13 noise (smallest window)", (1, 11, 13), "noise"),
    ("rgb 32x40 noise", (3, 32, 40), "noise"),
    ("rgb 32x40 color shift", (3, 32, 40), "shift"),
]:
    target = quantize(smooth_image(c, h, w))
    prediction = degrade(target, kind)
    t, p = target.astype(np.float64) / 255, prediction.astype(np.float64) / 255
    low_t = gaussian_filter(t, sigma=(0, 2, 2), mode="reflect", truncate=4.0)
    low_p = gaussian_filter(p, sigma=(0, 2, 2), mode="reflect", truncate=4.0)
    cases.append({
        "name": name, "channels": c, "height": h, "width": w,
        "prediction": prediction.tobytes().hex(), "target": target.tobytes().hex(),
        "psnr": psnr(t, p),
        "ssim": float(structural_similarity(t, p, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                            data_range=1, channel_axis=0)),
        "psnr_low": psnr(low_t, low_p),
        "psnr_high": psnr(t - low_t, p - low_p),
    })

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "CourseKitTests", "Fixtures", "metrics.json")
with open(out, "w") as f:
    json.dump({"made_by": "tools/make_metric_fixtures.py",
               "versions": {"scikit-image": skimage.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
               "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
for case in cases:
    print(f'{case["name"]:36s} psnr {case["psnr"]:.4f} ssim {case["ssim"]:.5f} '
          f'low {case["psnr_low"]:.4f} high {case["psnr_high"]:.4f}')
print("wrote", os.path.normpath(out))
