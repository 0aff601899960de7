#!/usr/bin/env bash
# Does the plain x86-64 path (KERNEL_PLAIN: SSE2 only, no -march) really build and run on a CPU
# without AVX? Builds the package in release with UNET_KERNEL=plain into .build-plain, then:
#   1. objdump: counts AVX (VEX/EVEX-encoded) instructions and ymm/zmm operands in the plain
#      bench and lesson5 executables, per module of the package's own code (must be 0; the
#      Swift runtime and Foundation are shared libraries with their own runtime dispatch and
#      are not in these files);
#   2. runs them under `qemu-x86_64 -cpu Nehalem` (SSE4.2, no AVX/AVX2/FMA):
#      `bench --no-gemm --steps 2` and `lesson5 --quick` (both must pass, and lesson5's
#      metrics and samples.png must be bit-identical to the same binary run natively);
#   3. controls, to show that qemu's Nehalem really refuses AVX: the host's own build
#      (.build/release/bench, AVX-512 or AVX2 on this machine) must die there with SIGILL, and an
#      AVX2 build (UNET_KERNEL=avx2, .build-avx2) must die under Nehalem yet run under
#      `-cpu Haswell` (lesson5 --quick; qemu's TCG emulates AVX2 but not AVX-512).
# Emulated speed means nothing; every heavy step runs under `nice -n 19`.
#
#     tools/no-avx2-check.sh
#     NO_AVX2_CONTROL=1 tools/no-avx2-check.sh     # skip the .build-avx2 control build
#
# Needs qemu-x86_64 (Debian's qemu-user or qemu-user-static; installed with apt-get if missing,
# which needs root). Exits non-zero if any check fails; prints a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
NICE="nice -n 19"
CPU=${QEMU_CPU_MODEL:-Nehalem}
PLAIN=.build-plain
AVX2=.build-avx2
NATIVE=${NATIVE_BENCH:-.build/release/bench}
TMP=$(mktemp -d /tmp/no-avx2-check.XXXXXX)
ulimit -c 0     # no core files from the expected illegal instructions

SUMMARY=()
FAILED=0
T0=$(date +%s)
note() { printf '\n=== %s\n' "$*"; }
record() {      # record ok|FAILED|skipped SECONDS TEXT
    [ "$1" = FAILED ] && FAILED=1
    SUMMARY+=("$(printf '%-7s %5ss  %s' "$1" "$2" "$3")")
}
step() {        # step NAME COMMAND...: runs it, timed, into the summary
    local name=$1; shift
    local t=$(date +%s) rc=0
    note "$name"
    "$@" || rc=$?
    if [ $rc = 0 ]; then record ok $(( $(date +%s) - t )) "$name"
    else record FAILED $(( $(date +%s) - t )) "$name (exit $rc)"; fi
    return $rc
}
summary() {
    echo
    echo "=== no-avx2-check summary ($(( $(date +%s) - T0 ))s in all; qemu -cpu $CPU)"
    printf '  %s\n' "${SUMMARY[@]}"
    if [ $FAILED = 0 ]; then echo "no-avx2-check: PASS"; else echo "no-avx2-check: FAIL"; fi
    rm -rf "$TMP"
}
trap 'summary; [ $FAILED = 0 ]' EXIT

QEMU=
qemu_tool() {
    QEMU=$(command -v qemu-x86_64 || command -v qemu-x86_64-static || true)
    if [ -z "$QEMU" ]; then
        $NICE apt-get update -q || return
        $NICE apt-get install -y -q --no-install-recommends qemu-user-static || return
        QEMU=$(command -v qemu-x86_64-static) || return
    fi
    "$QEMU" --version | sed -n 1p
    echo "using $QEMU"
    local models; models=$("$QEMU" -cpu help || true)   # qemu 7.2 exits 1 after listing them
    grep -qw -- "$CPU" <<< "$models" || { echo "qemu has no CPU model $CPU" >&2; return 1; }
}

# build SCRATCH KERNEL: a release build with UNET_KERNEL=KERNEL, and a check that the manifest
# really chose it (the define in the build description).
build() {
    local scratch=$1 kernel=$2
    local rc=0
    UNET_KERNEL=$kernel $NICE swift build -c release --scratch-path "$scratch" > "$TMP/build-$kernel.log" 2>&1 || rc=$?
    if [ $rc != 0 ]; then tail -40 "$TMP/build-$kernel.log"; return $rc; fi
    tail -2 "$TMP/build-$kernel.log"
    local define="KERNEL_$(echo "$kernel" | tr a-z A-Z)"
    grep -q -- "-D$define\b" "$scratch/release.yaml" || { echo "build description lacks -D$define" >&2; return 1; }
    echo "built with -D$define; -march flags in the build: $(grep -o -- '-march=[a-z0-9-]*' "$scratch/release.yaml" | sort -u | tr '\n' ' ')"
}

# objdump_count BINARY: AVX instructions (any v-prefixed vector op, VEX or EVEX) and ymm/zmm
# operands per module of the package's own code; fails if any are in the package's own code.
objdump_count() {
    local bin=$1
    objdump -d --no-show-raw-insn "$bin" > "$TMP/dis.txt" || return
    awk '
        function module(sym,   m, n) {
            if (sym ~ /^\$s/) {             # Swift: $s<len><Module>...; $ss = the standard library
                if (sym ~ /^\$ss/) return "Swift stdlib (specialised here)"
                m = substr(sym, 3); n = 0
                while (substr(m, 1, 1) ~ /[0-9]/) { n = n * 10 + substr(m, 1, 1); m = substr(m, 2) }
                return n > 0 ? substr(m, 1, n) : "Swift (other)"
            }
            if (sym ~ /^spin_/) return "CSpinWait"
            return "C / runtime glue"
        }
        /^[0-9a-f]+ <.*>:$/ { sym = $2; sub(/^</, "", sym); sub(/>:$/, "", sym); mod = module(sym); funcs[mod]++; next }
        /^ +[0-9a-f]+:\t/ {
            n[mod]++
            split($0, f, "\t"); ins = f[2]
            if (ins ~ /%xmm/) x[mod]++
            if (ins ~ /%ymm/) y[mod]++
            if (ins ~ /%zmm/) z[mod]++
            if (ins ~ /^v/ && ins !~ /^(verr|verw|vm(call|launch|resume|xoff|xon|read|write|ptrld|ptrst|clear|func|load|save|run|mmcall))/) v[mod]++
        }
        END {
            printf "    %-34s %6s %8s %6s %6s %6s %6s\n", "module", "funcs", "insns", "xmm", "ymm", "zmm", "AVX"
            for (m in n) printf "    %-34s %6d %8d %6d %6d %6d %6d\n", m, funcs[m], n[m], x[m], y[m], z[m], v[m]
            for (m in n) { ty += y[m]; tz += z[m]; tv += v[m] }
            printf "    %-34s %6s %8s %6s %6d %6d %6d\n", "TOTAL (whole executable)", "", "", "", ty, tz, tv
            exit (ty + tz + tv > 0)
        }' "$TMP/dis.txt"
}

# Runs a binary under qemu with CPU model $1; the rest is the command line.
emulate() { local cpu=$1; shift; $NICE "$QEMU" -cpu "$cpu" "$@"; }

run_plain_bench() {
    emulate "$CPU" "$PLAIN/release/bench" --no-gemm --steps 2 2>&1 | tee "$TMP/bench.log"
    [ "${PIPESTATUS[0]}" = 0 ] || return 1
    grep -qi "plain x86-64" "$TMP/bench.log" || { echo "bench did not report the plain kernel path" >&2; return 1; }
}

run_plain_lesson() {
    emulate "$CPU" "$PLAIN/release/lesson5" --quick --outputs "$TMP/out" 2>&1 | tee "$TMP/lesson5.log"
    [ "${PIPESTATUS[0]}" = 0 ] || return 1
    # Lessons name no path; on the plain one they print KernelPath.warning.
    grep -q "this CPU has no AVX2/FMA" "$TMP/lesson5.log" || { echo "lesson5 did not print the plain path's note" >&2; return 1; }
    echo "files written: $(cd "$TMP/out" && find . -type f | sort | tr '\n' ' ')"
    [ -n "$(find "$TMP/out" -type f -name '*.png')" ] || { echo "lesson5 wrote no PNG" >&2; return 1; }
}

# The same plain lesson5 natively: the emulated run must give the same bits (metrics.json but
# its timings, and samples.png byte for byte).
same_as_native() {
    $NICE "$PLAIN/release/lesson5" --quick --outputs "$TMP/native" > "$TMP/native.log" 2>&1 \
        || { tail -20 "$TMP/native.log"; return 1; }
    local rc=0
    diff <(grep -v '"seconds"' "$TMP/out/lesson5/metrics.json") <(grep -v '"seconds"' "$TMP/native/lesson5/metrics.json") \
        && echo "metrics.json: identical but for the timings" || rc=1
    grep -E '"(psnr|ssim)"' "$TMP/out/lesson5/metrics.json" | tr -s ' ' | tr '\n' ' '; echo
    cmp "$TMP/out/lesson5/samples.png" "$TMP/native/lesson5/samples.png" && echo "samples.png: identical" || rc=1
    return $rc
}

# must_sigill CPU BINARY ARGS...: the binary must be killed by SIGILL (exit 132) under CPU.
must_sigill() {
    local cpu=$1 rc=0; shift
    emulate "$cpu" "$@" > "$TMP/sigill.log" 2>&1 || rc=$?
    tail -3 "$TMP/sigill.log"
    echo "exit status $rc$( [ $rc -gt 128 ] && echo " (signal $((rc - 128)): $(kill -l $((rc - 128))))")"
    [ $rc = 132 ] || { echo "expected SIGILL (exit 132)" >&2; return 1; }
}

step "qemu-x86_64 with CPU model $CPU" qemu_tool
grep -m1 '^model name' /proc/cpuinfo || true
if step "swift build -c release, UNET_KERNEL=plain, --scratch-path $PLAIN" build "$PLAIN" plain; then
    step "objdump: no AVX/ymm/zmm in $PLAIN/release/bench" objdump_count "$PLAIN/release/bench" || true
    step "objdump: no AVX/ymm/zmm in $PLAIN/release/lesson5" objdump_count "$PLAIN/release/lesson5" || true
    step "qemu -cpu $CPU: plain bench --no-gemm --steps 2" run_plain_bench || true
    step "qemu -cpu $CPU: plain lesson5 --quick" run_plain_lesson \
        && step "emulated plain lesson5 == native plain lesson5 (bits)" same_as_native || true
fi

if [ -x "$NATIVE" ]; then
    note "the host's own build, $NATIVE, for contrast (not a pass/fail check)"
    objdump_count "$NATIVE" || true
    step "control: host build $NATIVE dies with SIGILL under -cpu $CPU" \
        must_sigill "$CPU" "$NATIVE" --no-gemm --steps 2 || true
else
    record skipped 0 "control: $NATIVE not built (swift build -c release first)"
fi

if [ "${NO_AVX2_CONTROL:-0}" = 1 ]; then
    record skipped 0 "control: AVX2 build (NO_AVX2_CONTROL=1)"
elif ! grep -qw avx2 /proc/cpuinfo; then
    record skipped 0 "control: AVX2 build (this host has no AVX2)"
elif step "control: swift build -c release, UNET_KERNEL=avx2, --scratch-path $AVX2" build "$AVX2" avx2; then
    # lesson5 --quick: the same short run under both models (cheaper than bench when emulated).
    step "control: AVX2 lesson5 --quick dies with SIGILL under -cpu $CPU" \
        must_sigill "$CPU" "$AVX2/release/lesson5" --quick --outputs "$TMP/avx2-nehalem" || true
    step "control: AVX2 lesson5 --quick runs under -cpu Haswell" \
        emulate Haswell "$AVX2/release/lesson5" --quick --outputs "$TMP/avx2-haswell" || true
fi
