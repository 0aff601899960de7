#!/usr/bin/env bash
# Builds and tests the course with Debian's Swift 6.0 (Debian trixie's swiftlang, 6.0.x: what
# Xcode 16.0-16.2 ships), in a Debian root made with debootstrap:
#   ARCH=amd64 (tools/swift60-check.sh): natively on this x86-64 machine, the host's kernel path;
#     runs the README's `swift test` (debug) after a release build and lesson5 --quick.
#   ARCH=arm64 (tools/arm64-check.sh, the default): through qemu-user-static and binfmt_misc, the
#     KERNEL_NEON path (SIMD8 as 2x128-bit); runs `swift test -c release --filter TensorCoreTests`
#     and, where the host has AVX2, compares lesson5's metrics.json and samples.png with the
#     host's AVX2 build (the same SIMD8 6x16 tile with fused multiply-adds; a difference is
#     reported, not counted as a failure). Emulated, so slow (the first run takes well over an
#     hour on 2 cores): speed means nothing there, only correctness.
# Every heavy step runs under `nice -n 19`.
#
#     tools/swift60-check.sh                # ARCH=amd64; re-runnable: finished steps are skipped
#     tools/arm64-check.sh                  # ARCH=arm64
#     ARM64_ROOT=/elsewhere tools/arm64-check.sh
#
# Settings (environment):
#   ARCH          arm64 (default) or amd64
#   ARM64_ROOT    the Debian root, outside the repo (default /work/ARCH-root; ~2 GB)
#   ARM64_SOURCE  worktree (default: the files as they are, uncommitted changes included)
#                 or head (git archive HEAD)
#   ARM64_TESTS   release (arm64's default; its own scratch path, since the test targets need
#                 -enable-testing for @testable) or debug (amd64's default: the README's command)
#   ARM64_PATCH   a patch (-p1) applied to the root's copy after copying, to try a change there
#   ARM64_NOCOPY  1: keep the root's copy of the source as it is
# SwiftPM resolves offline: /opt/swift-packages is bind-mounted into the root and the
# host's git `url.<base>.insteadOf` rewrites (system and global) are replayed there. Needs root.
# Exits non-zero if any step fails; prints a summary with each step's time.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
ARCH=${ARCH:-arm64}
case "$ARCH" in arm64|amd64) ;; *) echo "ARCH must be arm64 or amd64, got $ARCH" >&2; exit 2;; esac
NATIVE=0; [ "$ARCH" = amd64 ] && NATIVE=1
ROOT=${ARM64_ROOT:-/work/$ARCH-root}
SOURCE=${ARM64_SOURCE:-worktree}
if [ $NATIVE = 1 ]; then TESTS=${ARM64_TESTS:-debug}; else TESTS=${ARM64_TESTS:-release}; fi
SUITE=trixie
PKGS="swiftlang libpng-dev pkg-config git ca-certificates build-essential"
MIRROR_DIR=/opt/swift-packages
SRC_IN=/src/UNetFromScratch          # the package's path inside the root
LOGDIR=$ROOT/logs
NICE="nice -n 19"

case "$ROOT" in "$REPO"|"$REPO"/*) echo "ARM64_ROOT must be outside the repo" >&2; exit 2;; esac
[ "$(id -u)" = 0 ] || { echo "needs root (debootstrap, chroot, mount)" >&2; exit 2; }

SUMMARY=()
FAILED=0
T0=$(date +%s)
note() { printf '\n=== %s\n' "$*"; }
# step NAME COMMAND...: runs it, timed, and records the outcome for the summary.
step() {
    local name=$1; shift
    local t=$(date +%s) rc=0
    note "$name"
    "$@" || rc=$?
    local dt=$(( $(date +%s) - t ))
    if [ $rc = 0 ]; then SUMMARY+=("ok      $(printf '%5ss' $dt)  $name")
    else SUMMARY+=("FAILED  $(printf '%5ss' $dt)  $name (exit $rc)"); FAILED=1; fi
    return $rc
}
skipped() { SUMMARY+=("skipped        $1"); note "$1: already done, skipped"; }
summary() {
    echo
    echo "=== $ARCH-check summary (root $ROOT, $(( $(date +%s) - T0 ))s in all)"
    printf '  %s\n' "${SUMMARY[@]}"
    [ -n "${TEST_LINE:-}" ] && echo "  tests: $TEST_LINE"
    [ -n "${LESSON_LINE:-}" ] && echo "  lesson5: $LESSON_LINE"
    [ -n "${COMPARE_LINE:-}" ] && echo "  lesson5 on arm64: $COMPARE_LINE"
    [ -n "${SWIFT_LINE:-}" ] && echo "  swift: $SWIFT_LINE"
    if [ $FAILED = 0 ]; then echo "$ARCH-check: PASS"; else echo "$ARCH-check: FAIL (logs in $LOGDIR)"; fi
}

# Mounts made by this run, unmounted (in reverse) on exit.
MOUNTS=()
mount_once() {  # mount_once TARGET MOUNT-ARGS...
    local target=$1; shift
    mkdir -p "$target"
    if ! mountpoint -q "$target"; then mount "$@" "$target"; MOUNTS+=("$target"); fi
}
cleanup() {
    local i
    for (( i=${#MOUNTS[@]}-1; i>=0; i-- )); do umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" || true; done
}
trap 'cleanup; summary; [ $FAILED = 0 ]' EXIT
trap 'FAILED=1; exit 130' INT TERM

# Runs a bash command line inside the root, niced, with a clean environment.
in_root() {
    $NICE chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive /bin/bash -c "$1"
}

host_tools() {
    local need=()
    command -v debootstrap >/dev/null || need+=(debootstrap)
    if [ $NATIVE = 0 ]; then
        [ -x /usr/bin/qemu-aarch64-static ] || need+=(qemu-user-static)
        command -v update-binfmts >/dev/null || need+=(binfmt-support)
    fi
    if [ ${#need[@]} -gt 0 ]; then
        $NICE apt-get update -q || return
        $NICE apt-get install -y -q --no-install-recommends "${need[@]}" || return
    fi
    echo "debootstrap $(dpkg-query -W -f='${Version}' debootstrap)"
    [ $NATIVE = 1 ] || echo "qemu-user-static $(dpkg-query -W -f='${Version}' qemu-user-static)"
}

binfmt() {
    [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || return
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64 || return
    cat /proc/sys/fs/binfmt_misc/qemu-aarch64 || return
    # F (fix binary): the kernel holds the interpreter open, so the root needs no copy of it.
    grep -q '^flags:.*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 \
        || cp /usr/bin/qemu-aarch64-static "$ROOT/usr/bin/"
}

# Paths mounted at or under the root (never delete a root that has any).
mounted_under() { awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts; }

stage1() {
    if [ -n "$(mounted_under)" ]; then echo "mounts under $ROOT, not deleting it:" $(mounted_under) >&2; return 1; fi
    rm -rf --one-file-system "$ROOT" && mkdir -p "$(dirname "$ROOT")" || return
    # No mirror given: debootstrap's default Debian mirror.
    if [ $NATIVE = 1 ]; then
        $NICE debootstrap --arch=amd64 --variant=minbase "$SUITE" "$ROOT" || return
        touch "$ROOT/.stage2-done"
    else
        $NICE debootstrap --arch=arm64 --foreign --variant=minbase "$SUITE" "$ROOT" || return
    fi
    touch "$ROOT/.stage1-done"
}

stage2() {
    $NICE chroot "$ROOT" /debootstrap/debootstrap --second-stage || return
    touch "$ROOT/.stage2-done"
}

mounts() {
    mount_once "$ROOT/proc" -t proc proc || return
    mount_once "$ROOT/sys" -t sysfs sysfs || return
    mount_once "$ROOT/dev" --bind /dev || return
    mount_once "$ROOT/dev/pts" --bind /dev/pts || return
    mount_once "$ROOT$MIRROR_DIR" --bind "$MIRROR_DIR" || return
    mount -o remount,bind,ro "$ROOT$MIRROR_DIR" || return
    cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
}

packages() {
    in_root "apt-get update -q && apt-get install -y -q --no-install-recommends $PKGS" || return
    in_root "swift --version" || return
    echo "$PKGS" > "$ROOT/.packages-done"
}

gitconfig() {
    # Replay the host's url rewrites (e.g. github.com -> /opt/swift-packages/), system and
    # global, into the same scope in the root.
    local scope rules key value found=0
    for scope in system global; do
        rules=$(git config --$scope --get-regexp '^url\..*\.insteadof$' || true)
        [ -n "$rules" ] || continue
        found=1
        while read -r key value; do   # drop the sections an earlier run wrote, then add each rule
            in_root "git config --$scope --remove-section '${key%.insteadof}' 2>/dev/null; true"
        done <<< "$rules"
        while read -r key value; do
            in_root "git config --$scope --add '$key' '$value'" || return
        done <<< "$rules"
    done
    [ $found = 1 ] || { echo "host git has no url.*.insteadOf rules" >&2; return 1; }
    in_root "git config --show-scope --get-regexp '^url\.'"
}

copy_source() {
    local dest=$ROOT$SRC_IN
    if [ "${ARM64_NOCOPY:-0}" = 1 ] && [ -d "$dest" ]; then echo "ARM64_NOCOPY=1: keeping $dest as it is"; return; fi
    # Keep the root's .build and .build-tests (so a re-run builds incrementally); replace the rest.
    mkdir -p "$dest" || return
    find "$dest" -mindepth 1 -maxdepth 1 ! -name .build ! -name .build-tests -exec rm -rf {} + || return
    if [ "$SOURCE" = head ]; then
        git archive HEAD | tar -x -C "$dest" || return
        echo "copied HEAD $(git rev-parse --short HEAD)"
    else
        tar -c --exclude='./.build' --exclude='./.build-*' --exclude='./.build_*' --exclude='./.git' \
            --exclude='./.swiftpm' --exclude='./Outputs' --exclude='./Package.resolved' . | tar -x -C "$dest" || return
        echo "copied the work tree at $(git rev-parse --short HEAD) ($(git status --short | wc -l) changed/new paths)"
    fi
    if [ -n "${ARM64_PATCH:-}" ]; then
        patch -d "$dest" -p1 < "$ARM64_PATCH" || return
        echo "applied $ARM64_PATCH"
    fi
}

build() {
    in_root "swift --version && cd $SRC_IN && swift build -c release --product lesson5" 2>&1 | tee "$LOGDIR/build.log"
    [ "${PIPESTATUS[0]}" = 0 ] || return 1
    SWIFT_LINE=$(grep -m1 -i 'swift version' "$LOGDIR/build.log" || true)
    local chosen; chosen=$(grep -o -- '-DKERNEL_[A-Z0-9]*' "$ROOT$SRC_IN/.build/release.yaml" | sort -u | head -1)
    local expected=-DKERNEL_NEON
    if [ $NATIVE = 1 ]; then   # the host's own choice, as its native build made it
        expected=-DKERNEL_PLAIN
        grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && expected=-DKERNEL_AVX2
        grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && expected=-DKERNEL_AVX512
    fi
    [ "$chosen" = "$expected" ] || { echo "the manifest chose ${chosen:-nothing}, expected $expected" >&2; return 1; }
    echo "built with $chosen"
}

tests() {
    local flags="-c release --scratch-path .build-tests --filter TensorCoreTests"
    [ "$TESTS" = debug ] && flags=""
    in_root "cd $SRC_IN && time swift test $flags" 2>&1 | tee "$LOGDIR/tests.log"
    local rc=${PIPESTATUS[0]}
    TEST_LINE=$(grep -E "Executed [0-9]+ tests?, with" "$LOGDIR/tests.log" | tail -1 | sed 's/^[[:space:]]*//' || true)
    return $rc
}

lesson() {
    in_root "cd $SRC_IN && rm -rf /tmp/lesson5-out && .build/release/lesson5 --quick --outputs /tmp/lesson5-out" \
        2>&1 | tee "$LOGDIR/lesson5.log"
    local rc=${PIPESTATUS[0]}
    LESSON_LINE=$(grep -v '^[[:space:]]*$' "$LOGDIR/lesson5.log" | tail -1 || true)
    [ $rc = 0 ] || return $rc
    echo "files written:"; ls -R "$ROOT/tmp/lesson5-out" || return
    [ -n "$(ls -A "$ROOT/tmp/lesson5-out/lesson5" 2>/dev/null)" ] || { echo "lesson5 wrote nothing" >&2; return 1; }
}

# The host's own AVX2 build (.build-avx2, as tools/no-avx2-check.sh makes it) runs lesson5 --quick
# natively; its results next to arm64's.
host_avx2() {
    UNET_KERNEL=avx2 $NICE swift build -c release --scratch-path .build-avx2 --product lesson5 > "$LOGDIR/host-avx2-build.log" 2>&1 \
        || { tail -30 "$LOGDIR/host-avx2-build.log"; return 1; }
    rm -rf "$LOGDIR/host-avx2-out"
    $NICE .build-avx2/release/lesson5 --quick --outputs "$LOGDIR/host-avx2-out" > "$LOGDIR/host-avx2-lesson5.log" 2>&1 \
        || { tail -30 "$LOGDIR/host-avx2-lesson5.log"; return 1; }
    tail -1 "$LOGDIR/host-avx2-lesson5.log"
}
compare_avx2() {
    local a=$ROOT/tmp/lesson5-out/lesson5 b=$LOGDIR/host-avx2-out/lesson5 same=1
    note "arm64 (NEON) against x86-64 AVX2: lesson5 --quick"
    paste <(grep -E '"(psnr|psnr_low|psnr_high|ssim)"' "$a/metrics.json") <(grep -E '"(psnr|psnr_low|psnr_high|ssim)"' "$b/metrics.json") | tr -s ' '
    diff -q <(grep -v '"seconds"' "$a/metrics.json") <(grep -v '"seconds"' "$b/metrics.json") >/dev/null || same=0
    cmp -s "$a/samples.png" "$b/samples.png" || same=0
    if [ $same = 1 ]; then COMPARE_LINE="identical to x86-64 AVX2 (metrics.json but timings, samples.png byte for byte)"
    else COMPARE_LINE="differs from x86-64 AVX2 (rounding; see the figures above; not counted as a failure)"; fi
    echo "$COMPARE_LINE"
}

EMULATED=""; [ $NATIVE = 1 ] || EMULATED=" (emulated)"
step "host tools (debootstrap$([ $NATIVE = 1 ] || echo ', qemu-user-static, binfmt-support'))" host_tools
if [ -e "$ROOT/.stage1-done" ]; then skipped "debootstrap $SUITE $ARCH"
else step "debootstrap $SUITE $ARCH into $ROOT" stage1; fi
[ $NATIVE = 1 ] || step "binfmt_misc for aarch64" binfmt
if [ -e "$ROOT/.stage2-done" ]; then skipped "debootstrap second stage"
else step "debootstrap second stage (emulated)" stage2; fi
step "mounts (proc, sys, dev, $MIRROR_DIR read-only)" mounts
mkdir -p "$LOGDIR"
if [ "$(cat "$ROOT/.packages-done" 2>/dev/null)" = "$PKGS" ]; then skipped "apt-get install $PKGS"
else step "apt-get install $PKGS$EMULATED" packages; fi
step "git url rewrites in the root" gitconfig
step "copy the package to $SRC_IN ($SOURCE)" copy_source
step "swift build -c release --product lesson5$EMULATED" build
if step "lesson5 --quick$EMULATED" lesson && [ $NATIVE = 0 ]; then
    if grep -qw avx2 /proc/cpuinfo; then step "host AVX2 build of lesson5, for comparison" host_avx2 && compare_avx2
    else SUMMARY+=("skipped        comparison with an AVX2 build (this host has no AVX2)"); fi
fi
if [ "$TESTS" = debug ]; then step "swift test (debug, the README's command)$EMULATED" tests || true
else step "swift test ($TESTS) --filter TensorCoreTests$EMULATED" tests || true; fi
