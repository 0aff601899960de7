#!/usr/bin/env bash
# Peak memory of one training step of every lesson at the largest allowed --size (256): each must
# stay within LIMIT_KB (2 GB: an 8 GB laptop with a browser open still runs it).
#   swift build -c release && tools/memory-check.sh
# Prints the peak resident size of each lesson (GNU time's %M); exits 1 if any is over the limit.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release}
LIMIT_KB=${LIMIT_KB:-2000000}
[ -x /usr/bin/time ] || { echo "memory-check: needs GNU time (/usr/bin/time; apt-get install time)"; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/memory-check.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILED=0
for lesson in 1 2 3 4 5 6 7; do
    if ! /usr/bin/time -f %M -o "$T/peak" "$BIN/lesson$lesson" --quick --steps 1 --size 256 --outputs "$T/out" \
            >"$T/log" 2>&1 </dev/null; then
        echo "FAIL lesson$lesson did not run:"; tail -3 "$T/log"; FAILED=1; continue
    fi
    peak=$(tail -1 "$T/peak")
    verdict=ok
    [ "$peak" -le "$LIMIT_KB" ] || { verdict=FAIL; FAILED=1; }
    printf '%-4s lesson%s --quick --steps 1 --size 256: peak %s MB (limit %s MB)\n' \
        "$verdict" "$lesson" "$((peak / 1000))" "$((LIMIT_KB / 1000))"
done
[ $FAILED -eq 0 ] && echo "memory-check: PASS" || echo "memory-check: FAIL"
exit $FAILED
