#!/usr/bin/env bash
# Issue 21's photo experiment: on real photographs lesson 5's U-Net learns to ignore its
# bottleneck (switched off at test time it loses about 1 dB). Does anything at this budget make
# it use the bottleneck? Trains the U-Net on 400 64x64 patches of scikit-image's sample photos
# (tools/make_photo_patches.py) with the `stability` trainer, seeds 1-3, under: the course's
# settings, twice the steps, skip dropout (every skip zeroed on 25% / 50% of the steps), and the
# learning rate x0.5 and x1.5. Prints per setting the mean ± spread (half the range over seeds) of
# PSNR low / high, and what switching the bottleneck or the skips off at test time costs.
# The reference output is Reference/lesson5/photo-bottleneck.txt (DocC lesson 5 quotes it).
#
# Usage: PYTHON=/path/to/venv/bin/python tools/photo-bottleneck.sh [OUT_DIR]
#   PYTHON needs scikit-image and imageio (pip install scikit-image imageio), once, outside the repo.
#   About 40 minutes on 2 cores (two runs at a time, one thread each). SEEDS="1 2 3" and
#   STEPS=1700 (lesson 5's) are the defaults; e.g. SEEDS=1 STEPS=20 for a quick look at the tool.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-Outputs/photo-bottleneck}
seeds=${SEEDS:-1 2 3}
steps=${STEPS:-1700}
python=${PYTHON:-python3}
mkdir -p "$out"
if [ ! -f "$out/patches/p399-rocket.png" ]; then
  "$python" tools/make_photo_patches.py "$out/patches"
fi
swift build -c release --product stability >/dev/null
bin=$(swift build -c release --show-bin-path)/stability
settings=(
  "course settings|"
  "twice the steps|--steps $((2 * steps)) --schedule-steps $((2 * steps))"
  "skip dropout 0.25|--skip-dropout 0.25"
  "skip dropout 0.5|--skip-dropout 0.5"
  "rate x0.5|--rate-scale 0.5"
  "rate x1.5|--rate-scale 1.5"
)
: > "$out/runs.txt"
for entry in "${settings[@]}"; do
  for seed in $seeds; do echo "${entry%%|*}|--seed $seed ${entry#*|}"; done
done | xargs -P 2 -I{} sh -c 'line="{}"; "$0" --model unet --data "$1/patches" --steps "$2" --schedule-steps "$2" ${line#*|} 2>/dev/null | tail -1 | sed "s/^/${line%%|*}|/" >> "$1/runs.txt"' "$bin" "$out" "$steps"
python3 - "$out/runs.txt" <<'PY' | tee "$out/photo-bottleneck.txt"
import json, sys
runs = {}
for line in open(sys.argv[1]):
    name, record = line.split("|", 1)
    runs.setdefault(name, []).append(json.loads(record))
order = ["course settings", "twice the steps", "skip dropout 0.25", "skip dropout 0.5", "rate x0.5", "rate x1.5"]
def stat(values, signed=False):
    mean = sum(values) / len(values)
    return (f"{mean:+.2f}" if signed else f"{mean:6.2f}") + f" ± {(max(values) - min(values)) / 2:.2f}"
print("Lesson 5's U-Net on 400 64x64 patches of scikit-image's sample photos (tools/photo-bottleneck.sh),")
print(f"seeds {', '.join(str(s) for s in sorted({x['seed'] for r in runs.values() for x in r}))}, {runs['course settings'][0]['steps']} steps unless the row says otherwise, mean ± spread (half the range) in dB. 'off': the same trained model with that path zeroed")
print("at test time, the change in dB (low = big picture, high = detail).")
print(f"{'setting':18s} {'seeds':>5s}  {'PSNR low':>13s}  {'PSNR high':>13s}  {'bottleneck off: low':>19s}  {'skips off: low':>14s}  {'skips off: high':>15s}")
for name in order:
    r = runs.get(name, [])
    if not r: continue
    bad = sum(x["collapsed"] for x in r)
    print(f"{name:18s} {len(r):5d}  {stat([x['psnr_low'] for x in r])}  {stat([x['psnr_high'] for x in r])}  "
          f"{stat([x['bottleneck_off_psnr_low'] - x['psnr_low'] for x in r], True):>19s}  "
          f"{stat([x['skips_off_psnr_low'] - x['psnr_low'] for x in r], True):>14s}  "
          f"{stat([x['skips_off_psnr_high'] - x['psnr_high'] for x in r], True):>15s}" + (f"  ({bad} collapsed)" if bad else ""))
PY
