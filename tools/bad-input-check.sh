#!/usr/bin/env bash
# Runs the release binaries on bad input and learner faults, one case per line: each must exit
# non-zero (or, where noted, go on after skipping a file) with one clear line, fast where no
# training is involved, leaving no temporary file and losing no earlier output.
#   swift build -c release && tools/bad-input-check.sh
# Prints "ok"/"FAIL", the exit code, the seconds and the error line of every case; exits 1 if any fails.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release}
T=$(mktemp -d "${TMPDIR:-/tmp}/bad-input.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILED=0

# Two small valid PNGs, written by the course itself (lesson 1 writes scene0.png).
"$BIN/lesson1" --outputs "$T/seed" >/dev/null 2>&1 || { echo "bad-input-check: lesson1 did not run; build first (swift build -c release)"; exit 1; }
good() { mkdir -p "$1"; cp "$T/seed/lesson1/scene0.png" "$1/a.png"; cp "$T/seed/lesson1/scene0.png" "$1/b.png"; }

# case NAME MAX_SECONDS EXPECT_REGEX COMMAND...: exit must be non-zero, the last stderr line must
# match EXPECT_REGEX, the run must take at most MAX_SECONDS.
case_() {
    local name=$1 max=$2 expect=$3; shift 3
    local start end rc line
    start=$(date +%s.%N)
    timeout 60 "$@" >"$T/out" 2>"$T/err" </dev/null; rc=$?
    end=$(date +%s.%N)
    local secs; secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    line=$(grep -v '^\s*$' "$T/err" | tail -1)
    local verdict=ok
    if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then verdict=FAIL; fi
    if ! grep -qE -- "$expect" <<<"$line"; then verdict=FAIL; fi
    if awk -v s="$secs" -v m="$max" 'BEGIN { exit !(s > m) }'; then verdict=FAIL; fi
    if grep -q 'Stack dump\|Fatal error\|Backtrace\|Current stack trace' "$T/err"; then verdict=FAIL; fi
    [ $verdict = FAIL ] && FAILED=1
    printf '%-4s %-44s exit %-3s %5.2fs  %s\n' "$verdict" "$name" "$rc" "$secs" "${line:0:150}"
}

mkdir -p "$T/fifo"; cp "$T/seed/lesson1/scene0.png" "$T/fifo/a.png"; mkfifo "$T/fifo/f.png"
case_ "--data with a FIFO named f.png (+1 good)" 1 'need at least 2' "$BIN/lesson2" --data "$T/fifo" --outputs "$T/o"
grep -q 'skipped "f.png": not a regular file' "$T/err" || { echo "FAIL   (the FIFO was not named as 'not a regular file')"; FAILED=1; }
mkdir -p "$T/dev"; cp "$T/seed/lesson1/scene0.png" "$T/dev/a.png"; ln -s /dev/zero "$T/dev/z.png"
case_ "--data with a symlink to /dev/zero" 2 'need at least 2' "$BIN/lesson2" --data "$T/dev" --outputs "$T/o"
grep -q 'not a regular file' "$T/err" || { echo "FAIL   (the symlink was not named as 'not a regular file')"; FAILED=1; }
case_ "--size 376" 1 '--size must be' "$BIN/lesson2" --size 376 --outputs "$T/o"
case_ "--size 512" 1 '--size must be' "$BIN/lesson5" --size 512 --outputs "$T/o"
case_ "--steps 10000000000" 1 '--steps must be' "$BIN/lesson2" --steps 10000000000 --outputs "$T/o"
case_ "bench --batch 100000" 1 '--batch must be' "$BIN/bench" --batch 100000
case_ "lesson6 --seed 9223372036854775807" 1 '--seed must be' "$BIN/lesson6" --seed 9223372036854775807 --outputs "$T/o"
case_ "--data: missing folder" 1 'no such folder' "$BIN/lesson2" --data "$T/nowhere" --outputs "$T/o"
mkdir -p "$T/black"; python3 - "$T/black" <<'PY'
import sys, zlib, struct
def png(w, h, raw, ct=2, extra=b''):
    c = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + c(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, ct, 0, 0, 0)) + extra + c(b'IDAT', raw) + c(b'IEND', b'')
d = sys.argv[1]
for i in range(3): open(f'{d}/b{i}.png', 'wb').write(png(16, 16, zlib.compress(b''.join(b'\0' + b'\0' * 48 for _ in range(16)))))
import os; os.makedirs(d + '/../bomb', exist_ok=True); os.makedirs(d + '/../pal', exist_ok=True)
z = zlib.compressobj(9); body = z.compress(b'\0' * (1 << 30)) + z.flush()   # 1 GiB of zeros in ~1 MB
for i in range(2): open(f'{d}/../bomb/bomb{i}.png', 'wb').write(png(100, 100, body))
plte = (lambda t, dd: struct.pack('>I', len(dd)) + t + dd + struct.pack('>I', zlib.crc32(t + dd) & 0xffffffff))(b'PLTE', bytes([255, 0, 0, 0, 255, 0]))
for i in range(2): open(f'{d}/../pal/p{i}.png', 'wb').write(png(8, 8, zlib.compress(b''.join(b'\0' + bytes([5] * 8) for _ in range(8))), ct=3, extra=plte))
PY
case_ "--data: every picture one flat color" 1 'one flat color' "$BIN/lesson2" --data "$T/black" --outputs "$T/o"
case_ "--data: 1 GiB zip bomb in a 100x100 PNG" 1 'need at least 2' "$BIN/lesson2" --data "$T/bomb" --outputs "$T/o"
grep -q 'inflates to more than' "$T/err" || { echo "FAIL   (the bomb was not named)"; FAILED=1; }
case_ "--data: palette index beyond the palette" 1 'need at least 2' "$BIN/lesson2" --data "$T/pal" --outputs "$T/o"
grep -q 'palette entry 5, but its palette has 2' "$T/err" || { echo "FAIL   (the palette index was not named)"; FAILED=1; }
good "$T/nl"; cp "$T/seed/lesson1/scene0.png" "$T/nl/bad"$'\n'"name.png"; printf 'garbage' > "$T/nl/broken.png"
"$BIN/lesson2" --quick --data "$T/nl" --outputs "$T/o" >/dev/null 2>"$T/err"
if grep -q 'skipped "broken.png"' "$T/err" && [ "$(grep -c '^skipped' "$T/err")" = 1 ]; then
    echo "ok   --data: corrupt PNG skipped with one line; the newline name loads: $(grep '^skipped' "$T/err" | head -1 | cut -c1-100)"
else echo "FAIL --data: corrupt PNG / newline name: $(head -3 "$T/err")"; FAILED=1; fi
printf 'x' > "$T/afile"
case_ "--outputs naming a file" 1 'is a file, not a folder' "$BIN/lesson1" --outputs "$T/afile"
case_ "--outputs \"\"" 1 '--outputs is empty' "$BIN/lesson1" --outputs ""
case_ "--outputs under /proc" 1 'cannot create the output folder .*: No such file' "$BIN/lesson1" --outputs /proc/nope/out

# Two runs into one folder; kill -9 in the middle; a garbage earlier metrics.json.
"$BIN/lesson2" --quick --outputs "$T/two" >/dev/null 2>&1
before=$(md5sum < "$T/two/lesson2/metrics.json")
"$BIN/lesson2" --steps 400 --outputs "$T/two" >/dev/null 2>&1 & first=$!
sleep 1.5
case_ "a second run into the same --outputs" 1 'another run of lesson 2 is writing' "$BIN/lesson2" --quick --outputs "$T/two"
kill -9 $first; wait $first 2>/dev/null
after=$(md5sum < "$T/two/lesson2/metrics.json")
[ "$before" = "$after" ] && echo "ok   kill -9 mid-run: the earlier run's metrics.json is untouched" || { echo "FAIL kill -9 mid-run changed metrics.json"; FAILED=1; }
"$BIN/lesson2" --quick --outputs "$T/two" >/dev/null 2>&1
left=$(find "$T/two" -name '*.tmp-*' -o -name '.lesson2.run-*' -o -name '.lesson2.old-*' | wc -l)
[ "$left" = 0 ] && echo "ok   the next run removed the killed run's leftovers (0 left)" || { echo "FAIL $left leftovers after the next run"; FAILED=1; }
echo garbage > "$T/two/lesson2/metrics.json"
"$BIN/lesson4" --quick --outputs "$T/two" > "$T/out" 2>&1
grep -q 'lesson2/metrics.json is unreadable: rerun lesson 2' "$T/out" && echo "ok   a garbage lesson2/metrics.json is named in lesson 4: $(grep 'unreadable' "$T/out" | head -1 | cut -c1-110)" \
    || { echo "FAIL lesson 4 did not name the broken metrics.json"; FAILED=1; }

# Every file the course reads goes through one reader: a FIFO is refused at once (it used to wait
# for a writer forever), a file far larger than it can be is refused before it is read.
mkfifo "$T/f.png"
case_ "course paint a FIFO named f.png" 1 'not a regular file' "$BIN/course" paint "$T/f.png" --outputs "$T/two"
cp "$T/seed/lesson1/scene0.png" "$T/sparse.png"; truncate -s 300M "$T/sparse.png"
case_ "course paint a 300 MB file with a small PNG header" 1 'header describes a picture that fits in' "$BIN/course" paint "$T/sparse.png" --outputs "$T/two"
rm -rf "$T/two/paint"; printf 'x' > "$T/two/paint"
case_ "course paint when Outputs/paint is a file" 1 "cannot create folder .*paint': a file with that name exists" "$BIN/course" paint "$T/seed/lesson1/scene0.png" --outputs "$T/two"
rm "$T/two/paint"; mkdir -p "$T/a" "$T/b"; cp "$T/seed/lesson1/scene0.png" "$T/a/pic.png"; cp "$T/seed/lesson1/scene0.png" "$T/b/pic.png"
"$BIN/course" paint "$T/a/pic.png" "$T/b/pic.png" --outputs "$T/two" >/dev/null 2>&1
[ -f "$T/two/paint/pic-painted.png" ] && [ -f "$T/two/paint/pic-2-painted.png" ] && echo "ok   course paint a/pic.png b/pic.png writes pic-painted.png and pic-2-painted.png" \
    || { echo "FAIL course paint a/pic.png b/pic.png: $(ls "$T/two/paint")"; FAILED=1; }
"$BIN/lesson5" --quick --outputs "$T/two" >/dev/null 2>&1
python3 - "$T/two/lesson5/heldout-target.png" <<'PY'
import sys, zlib, struct   # a strip of 2 scenes where lesson 5 saved more
c = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
w, h = 32, 64
raw = b''.join(b'\0' + bytes([100, 150, 200]) * w for _ in range(h))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + c(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + c(b'IDAT', zlib.compress(raw)) + c(b'IEND', b''))
PY
case_ "course compare: a held-out strip with fewer scenes" 2 'does not hold the same .* scenes as heldout-input.png: rerun lesson 5' "$BIN/course" compare --outputs "$T/two"
case_ "course compare --outputs \"\"" 1 '--outputs is empty' "$BIN/course" compare --outputs ""
for kind in fifo huge; do
    rm -f "$T/two/lesson2/metrics.json"
    if [ $kind = fifo ]; then mkfifo "$T/two/lesson2/metrics.json"; else truncate -s 2G "$T/two/lesson2/metrics.json"; fi
    start=$(date +%s)
    timeout 60 "$BIN/lesson4" --quick --outputs "$T/two" > "$T/out" 2>&1
    secs=$(( $(date +%s) - start ))
    grep -q 'lesson2/metrics.json is unreadable: rerun lesson 2' "$T/out" && [ $secs -le 10 ] \
        && echo "ok   lesson 4 beside a $kind lesson2/metrics.json names it (${secs} s): $(grep 'unreadable' "$T/out" | head -1 | cut -c1-90)" \
        || { echo "FAIL lesson 4 beside a $kind lesson2/metrics.json (${secs} s): $(tail -1 "$T/out")"; FAILED=1; }
done
rm -f "$T/two/lesson2/metrics.json"

# Run from another folder: the lesson still finds the package's reference run.
absbin=$(cd "$BIN" && pwd)
(cd "$T" && "$absbin/lesson2" --quick --outputs "$T/elsewhere" > "$T/out" 2>&1)
grep -q 'no reference run found' "$T/out" && { echo "FAIL run from another folder: $(grep 'no reference run' "$T/out")"; FAILED=1; } \
    || echo "ok   lesson 2 run from another folder finds Reference/: $(grep -m1 'reference run in' "$T/out" | cut -c1-80)"

# Signals, limits and closed streams: nothing left behind, nothing written where it does not belong.
case_ "a file-size limit (ulimit -f 20)" 2 'File too large' sh -c "ulimit -f 20; exec '$BIN/lesson1' --outputs '$T/fsize'"
left=$(find "$T/fsize" -name '.lesson1.run-*' -o -name '*.tmp-*' | wc -l)
[ "$left" = 0 ] && echo "ok   ... and left no work folder or temporary file" || { echo "FAIL the file-size limit left $left leftovers"; FAILED=1; }
"$BIN/lesson1" --outputs "$T/closed" >&- 2>/dev/null
[ "$(wc -l < "$T/closed/.lesson1.lock")" = 1 ] && echo "ok   stdout closed: the lesson's text is not written into its lock file" \
    || { echo "FAIL stdout closed: the lock file holds $(wc -c < "$T/closed/.lesson1.lock") bytes"; FAILED=1; }
"$BIN/course" all --outputs "$T/term" >/dev/null 2>&1 & all=$!
for _ in $(seq 1 50); do [ -d "$T/term/lesson1" ] && break; sleep 0.1; done; sleep 1
kill -TERM $all; wait $all 2>/dev/null; sleep 0.5
running=$(pgrep -f "lesson[0-9] --outputs $T/term" | wc -l); left=$(find "$T/term" -name '.lesson*.run-*' | wc -l)
[ "$running" = 0 ] && [ "$left" = 0 ] && echo "ok   kill -TERM course all: the running lesson stops too, and leaves no work folder" \
    || { echo "FAIL kill -TERM course all: $running lesson(s) still running, $left work folder(s) left"; pkill -f "lesson[0-9] --outputs $T/term"; FAILED=1; }

if [ $FAILED = 0 ]; then echo "bad-input-check: PASS"; else echo "bad-input-check: FAIL"; exit 1; fi
