"""Segmentation metric fixtures for Tests/CourseKitTests (SegmentationScoresTests), computed
independently of the Swift code: confusion counts with numpy, boundaries with
skimage.segmentation.find_boundaries (mode 'thick', connectivity 1: a pixel whose 4-neighborhood
holds another label), tolerance with scipy.ndimage.binary_dilation over a (2t+1)x(2t+1) square.

    python tools/make_segmentation_fixtures.py > Tests/CourseKitTests/Fixtures/segmentation.json
"""
import json
import numpy as np
from scipy import ndimage
from skimage.segmentation import find_boundaries

rng = np.random.default_rng(7)
classes, h, w = 6, 24, 20
cases = []
for case in range(4):
    # Blocky truth (regions of 4x4 cells, some thin 1-px lines), prediction = truth with errors.
    truth = np.kron(rng.integers(0, classes, (h // 4, w // 4)), np.ones((4, 4), dtype=int))
    truth[rng.integers(0, h), :] = 5
    truth[:, rng.integers(0, w)] = 4
    pred = truth.copy()
    flip = rng.random((h, w)) < 0.08 * (case + 1)
    pred[flip] = rng.integers(0, classes, flip.sum())
    pred = np.roll(pred, case % 2, axis=1)  # a one-pixel shift in half the cases
    conf = np.bincount(truth.ravel() * classes + pred.ravel(), minlength=classes * classes).reshape(classes, classes)
    iou = []
    for c in range(classes):
        union = conf[c].sum() + conf[:, c].sum() - conf[c, c]
        iou.append(None if union == 0 else conf[c, c] / union)
    tb = find_boundaries(truth, mode='thick', connectivity=1)
    pb = find_boundaries(pred, mode='thick', connectivity=1)
    boundary = {}
    for t in (1, 2):
        square = np.ones((2 * t + 1, 2 * t + 1), dtype=bool)
        near_t = ndimage.binary_dilation(tb, structure=square)
        near_p = ndimage.binary_dilation(pb, structure=square)
        boundary[str(t)] = {
            "predicted": int(pb.sum()), "predicted_matched": int((pb & near_t).sum()),
            "true": int(tb.sum()), "true_matched": int((tb & near_p).sum()),
        }
    cases.append({
        "height": h, "width": w, "truth": truth.ravel().tolist(), "predicted": pred.ravel().tolist(),
        "confusion": conf.ravel().tolist(), "iou": iou,
        "pixel_accuracy": float(np.trace(conf) / conf.sum()),
        "mean_iou": float(np.mean([v for v in iou if v is not None])),
        "boundary": boundary,
    })
print(json.dumps({"classes": classes, "cases": cases}))
