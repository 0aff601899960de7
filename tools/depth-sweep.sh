#!/bin/sh
# The depth sweep of issue 21: the autoencoder (no skips) and the U-Net (concat skips) at depth
# 1 to 4 (bottleneck 32, 16, 8, 4 px at 64 px; channels double per level, as in every U-Net
# here), seeds 1-3, each trained 1700 steps (the U-Net's colorizer steps) by the stability
# trainer, two runs at a time on one thread each; then a table of mean ± half-range over seeds.
#   tools/depth-sweep.sh             # about 25 min on 2 cores (2026-12-06, AMD EPYC Zen 4)
#   tools/depth-sweep.sh --table     # the table again from Outputs/depth-sweep
set -eu
cd "$(dirname "$0")/.."
OUT=Outputs/depth-sweep
if [ "${1:-}" != "--table" ]; then
    swift build -c release --product stability 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] ' | tail -1
    mkdir -p "$OUT"
    for depth in 1 2 3 4; do for kind in none concat; do for seed in 1 2 3; do echo "$depth $kind $seed"; done; done; done |
      xargs -P 2 -L 1 sh -c '
        skips=$(seq 1 "$0" | sed "s/.*/$1/" | paste -sd, -)
        result='"$OUT"'/d$0-$1-seed$2.json
        if [ -f "$result" ] && [ "$result" -nt .build/release/stability ]; then exit 0; fi
        .build/release/stability --model unet --skips "$skips" --seed "$2" --schedule-steps 1700 --steps 1700 \
            > "$result.tmp" 2> "$result.log" && mv "$result.tmp" "$result" || { echo "depth $0 $1 seed $2 failed: $result.log"; exit 255; }'
fi
python3 - "$OUT" <<'PY'
import glob, json, sys
runs = {}
for f in glob.glob(sys.argv[1] + "/d*-seed*.json"):
    name = f.rsplit("/", 1)[1]
    runs.setdefault((int(name[1]), name.split("-")[1]), []).append(json.load(open(f)))
print("depth  bottleneck  model        seeds  PSNR            low             high            collapsed  recoveries")
for depth in (1, 2, 3, 4):
    for kind, model in (("none", "autoencoder"), ("concat", "U-Net")):
        r = runs.get((depth, kind), [])
        if not r: continue
        def stat(key):
            v = [x[key] for x in r]
            return "%.2f ± %.2f" % (sum(v) / len(v), (max(v) - min(v)) / 2)
        print("%5d  %7d px  %-11s  %5d  %-14s  %-14s  %-14s  %9d  %10d" % (depth, 64 >> depth, model, len(r), stat("psnr"),
              stat("psnr_low"), stat("psnr_high"), sum(x["collapsed"] for x in r), sum(len(x["recoveries"]) for x in r)))
PY
