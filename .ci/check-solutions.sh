#!/usr/bin/env bash
# CI: proves the exercise checks pass with the reference answers. In a temporary copy of the
# package, every Solutions/LessonN/X.swift is copied over its twin Exercises/LessonN/X.swift
# (the two modules have the same API, and the stubs' Support/ files stay), then
# `swift test --filter ExerciseChecks` must report every check passed and none skipped.
# Also checks that `course reset`'s embedded stubs match the files in Exercises/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

.ci/embed-stubs.sh --check

work=$(mktemp -d "${TMPDIR:-/tmp}/unet-solutions.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "check-solutions: copying the package to $work"
tar -C "$root" --exclude='./.build*' --exclude='./.git' --exclude='./Outputs' --exclude='./.swiftpm' -cf - . | tar -C "$work" -xf -

count=0
for solution in "$work"/Solutions/Lesson*/*.swift; do
  twin="$work/Exercises/${solution#"$work"/Solutions/}"
  if [ ! -f "$twin" ]; then echo "check-solutions: $solution has no twin $twin" >&2; exit 1; fi
  cp "$solution" "$twin"
  count=$((count + 1))
done
echo "check-solutions: copied $count solutions over their exercises"

cd "$work"
log="$work/swift-test.log"
set +e
swift test --filter ExerciseChecks >"$log" 2>&1
status=$?
set -e
grep -E "error|failed|skipped|Executed .* tests|^exercises:" "$log" | grep -v "Test Case .* started" | tail -40
if [ $status -ne 0 ]; then echo "check-solutions: swift test failed (exit $status)" >&2; exit 1; fi
if grep -qE "Test Case .* skipped" "$log"; then echo "check-solutions: some checks were skipped" >&2; exit 1; fi
if ! grep -qE "^exercises: $count done, 0 failing, 0 not started$" "$log"; then
  echo "check-solutions: expected 'exercises: $count done, 0 failing, 0 not started'" >&2; exit 1
fi
echo "check-solutions: all $count exercises pass with the solutions copied in; no check skipped"

# The command line, end to end: one exercise crashes, one is reset to its stub; `course status`
# must name both and still grade every other exercise (each runs in its own child process).
cat > Exercises/Lesson1/Luminance.swift <<'SWIFT'
import TensorCore
public func luminance(_ rgb: Tensor) throws -> Tensor {
    let empty: [Float] = []
    return Tensor(shape: [1], values: [empty[rgb.count]])  // index out of range: a crash
}
SWIFT
swift run course reset 4.1 --yes >/dev/null 2>&1 || { echo "check-solutions: course reset failed" >&2; exit 1; }
status_log="$work/course-status.log"
swift run course status >"$status_log" 2>&1 || true
grep -E "^  1\.2 |^  4\.1 |^exercises:" "$status_log"
grep -qE "^  1\.2 .* crashed " "$status_log" || { echo "check-solutions: course status did not report 1.2 as crashed" >&2; exit 1; }
grep -qE "^  4\.1 .* not started " "$status_log" || { echo "check-solutions: course status did not report 4.1 as not started" >&2; exit 1; }
grep -qE "^exercises: $((count - 2)) done, 1 failing, 1 not started$" "$status_log" || { echo "check-solutions: unexpected course status summary" >&2; exit 1; }
echo "check-solutions: course status survives a crashing exercise and a reset"
