#!/usr/bin/env bash
# The course's time budget, for a learner on 2 cores: each lesson at most 75 s, lesson 6 at most
# 180 s, `course all` at most 8 minutes (480 s). Runs `course all` with default flags (release),
# prints each lesson's seconds against its budget, the CPU and the core count, and exits 1 if any
# is over. The same code runs about half as fast on an AMD Zen 4 as on a Zen 5
# (docs/PERFORMANCE.md), and a shared machine drifts by 10-30% from hour to hour: run it twice,
# apart, before believing one result.
#     tools/check-budget.sh                                        # runs course all into /tmp/check-budget
#     tools/check-budget.sh --from Outputs/reference-run/course-all.txt   # a run already made
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--from" ]; then
    LOG=$2
else
    OUT=${OUT:-/tmp/check-budget}
    LOG=$OUT/course-all.txt
    swift build -c release >/dev/null
    mkdir -p "$OUT"
    swift run -c release course all --outputs "$OUT" > "$LOG"
fi
if [ -r /proc/cpuinfo ]; then
    cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
    cores=$(nproc)
else
    cpu=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || echo unknown)
    cores=$(sysctl -n hw.ncpu 2>/dev/null || echo '?')
fi
echo "this machine: $cpu, $cores cores; log: $LOG"
python3 - "$LOG" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
budget = {n: 180 if n == 6 else 75 for n in range(1, 8)}
course_budget = 480
seconds = {int(n): int(s) for n, s in re.findall(r"^Lesson (\d) finished in (\d+) s\.", text, re.M)}
total = re.search(r"every lesson ran in (\d+) s", text)
if len(seconds) != 7 or not total:
    sys.exit(f"check-budget: {sys.argv[1]} is not a finished `course all` (lessons found: {sorted(seconds)})")
over = []
for n in range(1, 8):
    ok = seconds[n] <= budget[n]
    print(f"lesson {n}  {seconds[n]:4d} s  budget {budget[n]:3d} s  {'ok' if ok else 'OVER by %d s' % (seconds[n] - budget[n])}")
    if not ok: over.append(f"lesson {n}")
all_s = int(total.group(1))
ok = all_s <= course_budget
print(f"course all {all_s:4d} s  budget {course_budget} s  {'ok' if ok else 'OVER by %d s' % (all_s - course_budget)}")
if not ok: over.append("course all")
print("check-budget: " + ("every lesson within its budget" if not over else "over budget: " + ", ".join(over)))
sys.exit(1 if over else 0)
PY
