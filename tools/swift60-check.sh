#!/usr/bin/env bash
# The course with Swift 6.0 (Debian trixie's swiftlang, what Xcode 16.0-16.2 ships), natively on
# x86-64: release build, lesson5 --quick, then the README's `swift test`. See tools/debian-check.sh.
ARCH=amd64 exec "$(dirname "$0")/debian-check.sh" "$@"
