#!/bin/sh
# Re-makes Reference/: runs every lesson with its default flags (`course all`), then copies into
# Reference/lessonN/ each lesson's metrics.json, lesson.json, the pictures its text names, the
# held-out strips and charts, and transcript.txt (what the lesson printed, progress lines
# included); and compare.png and a few pictures into Sources/CourseKit/CourseKit.docc/Resources
# for the README and the DocC chapters; then lesson 6's --depth-sweep (Reference/lesson6/depth-sweep.txt)
# and lesson 5's fix for larger scenes (Reference/lesson5/larger-scenes-*); with PHOTO=, lesson 5's
# U-Net on photographs (Reference/lesson5/photo-bottleneck.txt).
# Run it on a quiet machine (the seconds are recorded too):
#
#     tools/update-reference.sh
#
# Every lesson prints its numbers next to these when run with default flags.
set -eu
cd "$(dirname "$0")/.."
# `--copy-only DIR`: skip the run and copy from the outputs already in DIR.
if [ "${1:-}" = "--copy-only" ]; then
    OUT=$2
else
    OUT=Outputs/reference-run
    rm -rf "$OUT"
    swift build -c release
    mkdir -p "$OUT"
    swift run -c release course all --outputs "$OUT" | tee "$OUT/course-all.txt"
fi
# The opt-in runs' files (SIZE256= and PHOTO= below): replaced only when they are re-made.
SIZE256_FILE=Reference/lesson5/size-256-transcript.txt
PHOTO_FILE=Reference/lesson5/photo-bottleneck.txt
for n in 1 2 3 4 5 6 7; do
    mkdir -p "Reference/lesson$n"
    for f in "Reference/lesson$n"/*; do
        [ "$f" = "$SIZE256_FILE" ] || [ "$f" = "$PHOTO_FILE" ] || rm -f "$f"
    done
    for f in metrics.json lesson.json experiments.txt; do
        [ -f "$OUT/lesson$n/$f" ] && cp "$OUT/lesson$n/$f" "Reference/lesson$n/"
    done
    # Small pictures only: the held-out strips (a few KB), charts, and the scenes sheet.
    for f in "$OUT/lesson$n"/heldout-*.png "$OUT/lesson$n"/curves.png "$OUT/lesson$n"/gradnorms.png \
             "$OUT/lesson$n"/experiments.png "$OUT/lesson$n"/scenes.png "$OUT/lesson$n"/masks.png \
             "$OUT/lesson$n"/boundaries.png "$OUT/lesson$n"/confusion.png; do
        [ -f "$f" ] && cp "$f" "Reference/lesson$n/"
    done
    # The pictures the lesson's text points the reader to (lesson.json "pictures").
    for f in $(python3 -c 'import json, sys; print(" ".join(json.load(open(sys.argv[1]))["pictures"]))' "$OUT/lesson$n/lesson.json"); do
        [ -f "$OUT/lesson$n/$f" ] && cp "$OUT/lesson$n/$f" "Reference/lesson$n/"
    done
    # The lesson's printed text: the lines of `course all` from its ">>> course all: lesson N" on.
    [ -f "$OUT/course-all.txt" ] && awk -v n="$n" '/^>>> course all: /{on = ($0 ~ "^>>> course all: lesson " n " of ")} on' \
        "$OUT/course-all.txt" > "Reference/lesson$n/transcript.txt"
done
# Lesson 6's opt-in depth sweep (15-20 minutes more): its table and its printed text. SWEEP=DIR
# copies an earlier `lesson6 --depth-sweep --outputs DIR` run (its print in DIR/transcript.txt).
SWEEP=${SWEEP:-$OUT/depth-sweep}
if [ ! -f "$SWEEP/lesson6/depth-sweep.txt" ]; then
    mkdir -p "$SWEEP"
    swift run -c release lesson6 --depth-sweep --outputs "$SWEEP" | tee "$SWEEP/transcript.txt"
fi
cp "$SWEEP/lesson6/depth-sweep.txt" Reference/lesson6/
cp "$SWEEP/transcript.txt" Reference/lesson6/depth-sweep-transcript.txt
# `lesson5 ARGS --outputs DIR`, its print in DIR/transcript.txt, unless DIR holds a finished run.
lesson5_into() {
    dir=$1
    shift
    if [ ! -f "$dir/lesson5/metrics.json" ]; then
        mkdir -p "$dir"
        swift run -c release lesson5 "$@" --outputs "$dir" | tee "$dir/transcript.txt"
    fi
}
# Lesson 5's measured fix for larger scenes (about 7 minutes more): four poolings, trained on
# 128 px scenes. LARGER=DIR copies an earlier `lesson5 --size 128 --levels 4 --outputs DIR` run.
LARGER=${LARGER:-$OUT/larger-scenes}
lesson5_into "$LARGER" --size 128 --levels 4
cp "$LARGER/transcript.txt" Reference/lesson5/larger-scenes-transcript.txt
cp "$LARGER/lesson5/sizes.png" Reference/lesson5/larger-scenes-sizes.png
# And with a fifth pooling (about 9 minutes more), whose window covers a whole 256 px scene.
# LARGER5=DIR copies an earlier `lesson5 --size 128 --levels 5 --outputs DIR` run.
LARGER5=${LARGER5:-$OUT/larger-scenes-5-levels}
lesson5_into "$LARGER5" --size 128 --levels 5
cp "$LARGER5/transcript.txt" Reference/lesson5/larger-scenes-5-levels-transcript.txt
cp "$LARGER5/lesson5/sizes.png" Reference/lesson5/larger-scenes-5-levels-sizes.png
# Trained on 256 px scenes, the size the 64 px U-Net fails at (about 30 minutes): only when asked.
# SIZE256=DIR copies an earlier `lesson5 --size 256 --levels 4 --outputs DIR` run; SIZE256=run
# makes that run first.
if [ "${SIZE256:-}" = run ]; then
    SIZE256=$OUT/size-256
    lesson5_into "$SIZE256" --size 256 --levels 4
fi
if [ -n "${SIZE256:-}" ]; then
    cp "$SIZE256/transcript.txt" "$SIZE256_FILE"
else
    echo "$SIZE256_FILE kept (SIZE256=run, or SIZE256=DIR, to re-make it)."
fi
# The U-Net on photographs (about 40 minutes, and a Python with scikit-image): only when asked.
# PHOTO=DIR copies DIR/photo-bottleneck.txt; PHOTO=run runs tools/photo-bottleneck.sh first.
if [ "${PHOTO:-}" = run ]; then
    tools/photo-bottleneck.sh "$OUT/photo-bottleneck"
    PHOTO=$OUT/photo-bottleneck
fi
if [ -n "${PHOTO:-}" ]; then
    cp "$PHOTO/photo-bottleneck.txt" "$PHOTO_FILE"
else
    echo "$PHOTO_FILE kept (PHOTO=run, or PHOTO=DIR of a tools/photo-bottleneck.sh run, to re-make it)."
fi
mkdir -p docs
pictures=Sources/CourseKit/CourseKit.docc/Resources   # the README's and the DocC chapters' pictures
cp "$OUT/compare.png" "$pictures/compare.png"
cp "$OUT/lesson5/detail.png" "$pictures/detail.png"
cp "$OUT/lesson3/gradnorms.png" "$pictures/lesson3-gradnorms.png"
cp "$OUT/lesson5/curves.png" "$pictures/lesson5-curves.png"
cp "$OUT/lesson5/skips.png" "$pictures/lesson5-skips.png"
cp "$OUT/lesson5/skip-features.png" "$pictures/lesson5-skip-features.png"
cp "$OUT/lesson5/sizes.png" "$pictures/lesson5-sizes.png"
cp "$LARGER/lesson5/sizes.png" "$pictures/lesson5-larger-scenes-sizes.png"
cp "$LARGER5/lesson5/sizes.png" "$pictures/lesson5-larger-scenes-5-levels-sizes.png"
cp "$OUT/lesson6/experiments.png" "$pictures/lesson6-experiments.png"
cp "$OUT/lesson7/masks.png" "$pictures/lesson7-masks.png"
cp "$OUT/lesson7/boundaries.png" "$pictures/lesson7-boundaries.png"
echo "Reference/ and the pictures in $pictures updated from a default run (the full outputs stay in $OUT/)."
