#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing, then builds and
# tests the host (ASan + UBSan), Cortex-M4 (QEMU mps2-an386) and aarch64 Linux
# (qemu-aarch64) presets, then the fuzzers (clang, libFuzzer) for a bounded
# number of inputs each. CMake workflow presets cannot span several configure
# presets, so this runs the workflows one after the other.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
for preset in host cortex-m4 aarch64-linux fuzz; do
  echo "=== $preset ==="
  cmake --workflow --preset "$preset"
done
