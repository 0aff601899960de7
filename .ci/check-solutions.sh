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

# Learner faults under `swift test`: one exercise crashes (1.2), one loops forever (2.6), one is
# half written (2.3: forward done, backward a stub) and 6.1 is back to its stub while 6.3/6.4,
# which call it, are written. Every exercise is graded in its own child process, so the run must
# still grade the rest, print the summary and exit non-zero for these failures only.
cat > Exercises/Lesson1/Luminance.swift <<'SWIFT'
import TensorCore
public func luminance(_ rgb: Tensor) throws -> Tensor {
    let empty: [Float] = []
    return Tensor(shape: [1], values: [empty[rgb.count]])  // index out of range: a crash
}
SWIFT
cat > Exercises/Lesson2/ReceptiveField.swift <<'SWIFT'
public func receptiveField(kernels: [Int], strides: [Int]) throws -> Int {
    var size = 1
    while size > 0 { size = size % 7 + 1 }  // an endless loop
    return size
}
SWIFT
cat > Exercises/Lesson2/ReLU.swift <<'SWIFT'
import TensorCore
public func reluForward(_ x: Tensor) throws -> Tensor {
    Tensor(shape: x.shape, values: x.values.map { $0 > 0 ? $0 : 0 })
}
public func reluBackward(input: Tensor, gradOutput: Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}
SWIFT
swift run course reset 6.1 --yes >/dev/null 2>&1 || { echo "check-solutions: course reset 6.1 failed" >&2; exit 1; }
faults_log="$work/swift-test-faults.log"
set +e
timeout 900 swift test --filter ExerciseChecks >"$faults_log" 2>&1
status=$?
set -e
grep -E "^exercises:|error: .*(1_2|2_3|2_6|6_3|6_4)_exercise" "$faults_log" | cut -c1-240
expect() {
  grep -qE "$1" "$faults_log" && return
  grep -A8 " error: " "$faults_log" | grep -v "Test Case" | head -80
  echo "check-solutions: with learner faults, expected: $2" >&2; exit 1
}
[ $status -ne 0 ] && [ $status -ne 124 ] || { echo "check-solutions: swift test with learner faults exited $status (expected a failure, not a pass or a hang)" >&2; exit 1; }
expect "^exercises: $((count - 6)) done, 5 failing, 1 not started \\(1 crashed, 1 timed out\\)$" "the summary line counting all $count exercises"
expect "exercise 1\\.2 .* crashed" "1.2 reported as crashed"
expect "Exercises/Lesson1/Luminance.swift:4" "the crash's file:line"
expect "exercise 2\\.6 .* timed out" "2.6 reported as timed out"
expect "an endless loop\\?" "the time-out explained"
expect "reluBackward still threw" "the half-written 2.3 naming its stub"
expect "exercise 6\\.3: your code is written but calls exercise 6\\.1" "6.3's failure attributed to 6.1"
if grep -E "Test Case .*(solution|rejectsWrongAnswers)\\]' failed" "$faults_log"; then
  echo "check-solutions: a project self-test failed because of the learner's code" >&2; exit 1
fi
echo "check-solutions: swift test survives a crash, a loop and a half-written exercise; summary printed"
restore_solutions() { for f in Lesson1/Luminance Lesson2/ReceptiveField Lesson2/ReLU Lesson6/GaussianKernel; do cp "$work/Solutions/$f.swift" "$work/Exercises/$f.swift"; done; }
restore_solutions

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
grep -qE "^exercises: $((count - 2)) done, 1 failing, 1 not started \\(1 crashed\\)$" "$status_log" || { echo "check-solutions: unexpected course status summary" >&2; exit 1; }
echo "check-solutions: course status survives a crashing exercise and a reset"

# `course watch`, driven through a pipe (no terminal): saving a right 4.1 says "done" within a
# few seconds, saving a wrong one says "failing", and q quits.
watch_log="$work/course-watch.log"
mkfifo "$work/watch-input"
sleep 300 > "$work/watch-input" & keep_open=$!
.build/debug/course watch < "$work/watch-input" > "$watch_log" 2>&1 & watcher=$!
wait_for() {  # PATTERN SECONDS
  for _ in $(seq 1 "$2"); do grep -qE "$1" "$watch_log" && return 0; sleep 1; done
  cat "$watch_log"; echo "check-solutions: course watch never printed '$1'" >&2; kill $watcher $keep_open 2>/dev/null; exit 1
}
wait_for "^course watch: exercises" 60
start=$(date +%s)
cp Solutions/Lesson4/MaxPoolForward.swift Exercises/Lesson4/MaxPoolForward.swift
wait_for "^4\.1 .*: done$" 120
echo "check-solutions: course watch graded a right 4.1 as done $(( $(date +%s) - start )) s after the save"
printf 'import TensorCore\npublic func maxPool2dForward(_ x: Tensor) throws -> Tensor { x }  // wrong: no pooling\n' > Exercises/Lesson4/MaxPoolForward.swift
wait_for "^4\.1 .*: failing$" 120
echo q > "$work/watch-input"
wait_for "course watch: bye" 10
kill $keep_open 2>/dev/null; wait $watcher
echo "check-solutions: course watch graded a wrong 4.1 as failing, and quit on q"
