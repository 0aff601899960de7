#!/usr/bin/env bash
# The course on arm64 (the NEON path) with Debian's Swift 6.0, emulated: see tools/debian-check.sh.
ARCH=arm64 exec "$(dirname "$0")/debian-check.sh" "$@"
