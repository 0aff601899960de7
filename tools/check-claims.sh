#!/bin/sh
# Does the course's central claim hold on more than one seed? Runs lessons 2 (plain stack),
# 4 (autoencoder) and 5 (U-Net) with their default settings on each seed, then prints every
# model's held-out scores and checks, seed by seed:
#   - the plain stack beats the autoencoder on psnr_high (detail) by at least 1 dB;
#   - the autoencoder beats the plain stack on psnr_low (big picture) by at least 1 dB;
#   - the U-Net beats both on psnr, psnr_low and psnr_high, and the autoencoder by 2 dB psnr.
#
#     tools/check-claims.sh                  # seeds 1 2 3
#     tools/check-claims.sh $(seq 1 10)      # any list of seeds
#
# Runs go two at a time on one thread each (results do not depend on the thread count), into
# Outputs/claims/seedK/; a run whose metrics.json is newer than the lesson's binary is reused, so
# an interrupted check resumes. Prints every model's scores, flags collapsed models, then each
# claim's smallest and median margin over the seeds. Exits non-zero if a claim fails anywhere.
# Needs python3 for the table.
set -eu
cd "$(dirname "$0")/.."
OUT=Outputs/claims
SEEDS=${*:-1 2 3}
swift build -c release
mkdir -p "$OUT"
for seed in $SEEDS; do for lesson in 2 4 5; do echo "$lesson $seed"; done; done |
    xargs -P 2 -L 1 sh -c '
        log='"$OUT"'/lesson$0-seed$1.log
        metrics='"$OUT"'/seed$1/lesson$0/metrics.json
        if [ -f "$metrics" ] && [ "$metrics" -nt .build/release/lesson$0 ]; then exit 0; fi
        echo "lesson$0 --seed $1 ..."
        .build/release/lesson$0 --seed $1 --threads 1 --outputs '"$OUT"'/seed$1 > "$log" 2>&1 \
            || { echo "lesson$0 --seed $1 failed: see $log"; exit 255; }'
python3 - "$OUT" $SEEDS <<'EOF'
import json, sys
out, seeds = sys.argv[1], sys.argv[2:]
failed = 0
margins = {}
print(f"{'seed':>4}  {'model':<12} {'psnr':>6} {'low':>6} {'high':>6} {'steps':>5} {'seconds':>7}")
for seed in seeds:
    m = {}
    for lesson in (2, 4, 5):
        record = json.load(open(f"{out}/seed{seed}/lesson{lesson}/metrics.json"))["models"][0]
        m[record["model"]] = record
        flag = "  COLLAPSED" if record.get("collapsed") else ""
        failed += bool(flag)
        print(f"{seed:>4}  {record['model']:<12} {record['psnr']:6.2f} {record['psnr_low']:6.2f} "
              f"{record['psnr_high']:6.2f} {record['steps']:5d} {record['seconds']:7.1f}{flag}")
    plain, ae, unet = m["plain"], m["autoencoder"], m["unet"]
    claims = [
        ("plain - autoencoder, psnr_high >= 1", plain["psnr_high"] - ae["psnr_high"], 1),
        ("autoencoder - plain, psnr_low >= 1", ae["psnr_low"] - plain["psnr_low"], 1),
        ("U-Net - autoencoder, psnr >= 2", unet["psnr"] - ae["psnr"], 2),
    ] + [(f"U-Net - {name}, {key} > 0", unet[key] - other[key], 0)
         for name, other in (("plain", plain), ("autoencoder", ae))
         for key in ("psnr", "psnr_low", "psnr_high")]
    for text, margin, needed in claims:
        holds = margin >= needed if needed > 0 else margin > 0
        failed += not holds
        margins.setdefault(text, []).append(margin)
        print(f"      {'holds' if holds else 'FAILS'}  {text:<38} {margin:+.2f} dB")
print(f"margins over {len(seeds)} seeds (dB):  {'claim':<38} {'min':>6} {'median':>6}")
for text, values in margins.items():
    values = sorted(values)
    median = values[len(values) // 2] if len(values) % 2 else (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
    print(f"{'':>32}  {text:<38} {values[0]:+6.2f} {median:+6.2f}")
print("every claim holds on seeds " + ", ".join(seeds) if failed == 0 else f"{failed} claim(s) FAIL")
sys.exit(1 if failed else 0)
EOF
