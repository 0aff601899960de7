#!/usr/bin/env bash
# Lesson 7's claims on many seeds: for each seed, runs `lesson7 --seed N` (default steps) and
# checks that the U-Net beats the autoencoder on boundary F1, horse IoU and flower IoU (detail)
# and the plain stack on lake labelled sky (big picture). Prints one line per seed, the smallest
# margins, and exits 1 if any claim fails. THREADS=1 runs each lesson on one thread (results do not
# depend on it), so that two sweeps can share two cores; OUT= moves the outputs.
#   swift build -c release && tools/check-segmentation.sh 1 2 3 4 5
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/check-segmentation}
seeds=("$@"); [ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3 4 5)
failed=0
printf '%-5s %-26s %-26s %-26s %-26s %s\n' seed "boundary F1 (unet-ae)" "horse IoU (unet-ae)" "flower IoU (unet-ae)" "lake->sky (plain-unet)" seconds
for seed in "${seeds[@]}"; do
  start=$(date +%s)
  .build/release/lesson7 --seed "$seed" ${THREADS:+--threads $THREADS} --outputs "$OUT/seed$seed" > "$OUT-seed$seed.log" 2>&1 || { echo "seed $seed: lesson7 failed (see $OUT-seed$seed.log)"; failed=1; continue; }
  secs=$(( $(date +%s) - start ))
  python3 - "$OUT/seed$seed/lesson7/metrics.json" "$seed" "$secs" <<'PY' || failed=1
import json, sys
m = {r["model"]: r for r in json.load(open(sys.argv[1]))["models"]}
u, a, p = m["unet"], m["autoencoder"], m["plain"]
claims = [("bf1", u["boundary_f1"] - a["boundary_f1"]), ("horse", u["iou"]["horse"] - a["iou"]["horse"]),
          ("flower", u["iou"]["flower"] - a["iou"]["flower"]), ("lake", p["lake_as_sky"] - u["lake_as_sky"])]
cell = lambda x, y, d: f"{x:.3f}-{y:.3f}={d:+.3f}"
print(f"{sys.argv[2]:<5} {cell(u['boundary_f1'], a['boundary_f1'], claims[0][1]):<26} "
      f"{cell(u['iou']['horse'], a['iou']['horse'], claims[1][1]):<26} {cell(u['iou']['flower'], a['iou']['flower'], claims[2][1]):<26} "
      f"{cell(p['lake_as_sky'], u['lake_as_sky'], claims[3][1]):<26} {sys.argv[3]}"
      + ("" if all(d > 0 for _, d in claims) else "  CLAIM FAILS: " + ", ".join(n for n, d in claims if d <= 0)))
sys.exit(0 if all(d > 0 for _, d in claims) else 1)
PY
done
[ $failed = 0 ] && echo "check-segmentation: every claim holds on seeds ${seeds[*]}" || { echo "check-segmentation: a claim failed"; exit 1; }
