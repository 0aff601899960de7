#!/bin/sh
# Is training stable with a margin? Trains each colorizer (plain stack, autoencoder, U-Net) the
# way its lesson does, on every seed given, at the course's learning rate and at 1.5 times it,
# through three times the warmup (the rate's peak and the steps after it, where runs used to
# collapse), and counts per model and rate:
#   - collapses: flagged by TrainingHealth (flat color, loss at the mean level, or more than
#     12% of its channels dead);
#   - spikes: runs whose 10-step mean loss rose to 3x its best or more (SpikeGuard.factor): the
#     spike guard rolled each of them back ("recovered");
#   - jumps: runs whose 10-step mean loss rose to 2x its best or more, a near miss, and the
#     largest jump of all;
#   - PSNR (held-out, after these few steps: not the lessons' scores) and "dead max", the largest
#     share of a model's channels dead (TrainingHealth calls more than 12% collapsed).
#
#     tools/check-stability.sh $(seq 100 149)                 # 50 seeds, scales 1 and 1.5
#     SCALES="1.5" MODELS="unet" tools/check-stability.sh 7   # one run
#     tools/check-stability.sh --table $(seq 100 149)         # the table of results already there
#
# Runs go two at a time on one thread each (results do not depend on the thread count), into
# Outputs/stability/; a result newer than the binary is reused, so an interrupted sweep resumes.
# Exits non-zero when a run collapsed, or spiked more than once in 50. Needs python3.
set -eu
cd "$(dirname "$0")/.."
OUT=Outputs/stability
TABLE_ONLY=no
if [ "${1:-}" = "--table" ]; then TABLE_ONLY=yes; shift; fi
SEEDS=${*:-1 2 3}
SCALES=${SCALES:-1 1.5}
MODELS=${MODELS:-plain autoencoder unet}
if [ $TABLE_ONLY = no ]; then
swift build -c release --product stability 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] ' | tail -1
mkdir -p "$OUT"
start=$(date +%s)
for model in $MODELS; do for scale in $SCALES; do for seed in $SEEDS; do echo "$model $scale $seed"; done; done; done |
    xargs -P 2 -L 1 sh -c '
        result='"$OUT"'/$0-x$1-seed$2.json
        if [ -f "$result" ] && [ "$result" -nt .build/release/stability ]; then exit 0; fi
        .build/release/stability --model $0 --rate-scale $1 --seed $2 > "$result.tmp" 2> "$result.log" \
            && mv "$result.tmp" "$result" || { echo "stability --model $0 --rate-scale $1 --seed $2 failed: see $result.log"; exit 255; }'
echo "sweep took $(( $(date +%s) - start )) s on $(nproc) cores"
fi
python3 - "$OUT" "$MODELS" "$SCALES" $SEEDS <<'PY'
import json, sys
out, models, scales, seeds = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4:]
bad = 0
print(f"{'model':<12} {'rate':>8} {'runs':>4} {'collapsed':>9} {'spikes':>6} {'recovered':>9} {'jumps':>5} "
      f"{'PSNR min':>8} {'median':>6} {'dead max':>8} {'jump max':>8}  seconds")
total = 0.0
for model in models:
    for scale in scales:
        runs = [json.load(open(f"{out}/{model}-x{scale}-seed{s}.json")) for s in seeds]
        collapsed = [r["seed"] for r in runs if r["collapsed"]]
        spikes = [r["seed"] for r in runs if r["largest_loss_jump"] >= 3]
        recovered = [r["seed"] for r in runs if r["recoveries"]]
        jumps = [r["seed"] for r in runs if r["largest_loss_jump"] >= 2]
        psnr = sorted(r["psnr"] for r in runs)
        print(f"{model:<12} {runs[0]['rate']:>8.4g} {len(runs):>4} {len(collapsed):>9} {len(spikes):>6} {len(recovered):>9} {len(jumps):>5} "
              f"{psnr[0]:>8.2f} {psnr[len(psnr) // 2]:>6.2f} {max(r['dead_overall'] for r in runs):>8.3f} "
              f"{max(r['largest_loss_jump'] for r in runs):>8.2f}  {sum(r['seconds'] for r in runs):.0f}")
        for name, which in (("collapsed", collapsed), ("spiked", spikes), ("recovered", recovered), ("jumped 2x", jumps)):
            if which: print(f"{'':>14}{name} on seeds {', '.join(map(str, which))}")
        total += sum(r['seconds'] for r in runs)
        bad += len(collapsed) + max(0, len(spikes) - max(1, len(runs) // 50))
print(f"training time of all runs: {total:.0f} s of one core ({total / 120:.0f} min on 2 cores)")
print("stable: no collapse, at most one spike in 50" if bad == 0 else f"NOT STABLE: {bad} run(s) collapsed or spiked")
sys.exit(1 if bad else 0)
PY
