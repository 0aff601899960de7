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
# The four claims of one run, as (name, U-Net's or plain's value, the other's, margin): used for
# the header, each seed's line and the summary.
CLAIMS='
import json, statistics, sys
NAMES = ["boundary F1 (unet-ae)", "horse IoU (unet-ae)", "flower IoU (unet-ae)", "lake->sky (plain-unet)"]
def claims(path):
    m = {r["model"]: r for r in json.load(open(path))["models"]}
    u, a, p = m["unet"], m["autoencoder"], m["plain"]
    pairs = [(u["boundary_f1"], a["boundary_f1"]), (u["iou"]["horse"], a["iou"]["horse"]),
             (u["iou"]["flower"], a["iou"]["flower"]), (p["lake_as_sky"], u["lake_as_sky"])]
    return [(n, x, y, x - y) for n, (x, y) in zip(NAMES, pairs)]
'
python3 -c "$CLAIMS
print('seed  ' + ' '.join(n.ljust(26) for n in NAMES) + ' seconds')"
done_seeds=()
for seed in "${seeds[@]}"; do
  start=$(date +%s)
  .build/release/lesson7 --seed "$seed" ${THREADS:+--threads $THREADS} --outputs "$OUT/seed$seed" > "$OUT-seed$seed.log" 2>&1 || { echo "seed $seed: lesson7 failed (see $OUT-seed$seed.log)"; failed=1; continue; }
  secs=$(( $(date +%s) - start ))
  done_seeds+=("$seed")
  python3 -c "$CLAIMS
c = claims(sys.argv[1])
print(f'{sys.argv[2]:<5} ' + ' '.join(f'{x:.3f}-{y:.3f}={d:+.3f}'.ljust(26) for _, x, y, d in c) + f' {sys.argv[3]}'
      + ('' if all(d > 0 for *_, d in c) else '  CLAIM FAILS: ' + ', '.join(n for n, *_, d in c if d <= 0)))
sys.exit(0 if all(d > 0 for *_, d in c) else 1)" "$OUT/seed$seed/lesson7/metrics.json" "$seed" "$secs" || failed=1
done
# Each claim's smallest margin (and its seed) and median margin over the seeds that ran.
[ ${#done_seeds[@]} -gt 0 ] && python3 -c "$CLAIMS
runs = {s: claims(f'{sys.argv[1]}/seed{s}/lesson7/metrics.json') for s in sys.argv[2:]}
for i, name in enumerate(n for n, *_ in next(iter(runs.values()))):
    margins = {s: c[i][3] for s, c in runs.items()}
    low = min(margins, key=margins.get)
    print(f'{name:<24} smallest {margins[low]:+.3f} (seed {low}), median {statistics.median(margins.values()):+.3f}')" "$OUT" "${done_seeds[@]}"
[ $failed = 0 ] && echo "check-segmentation: every claim holds on seeds ${seeds[*]}" || { echo "check-segmentation: a claim failed"; exit 1; }
