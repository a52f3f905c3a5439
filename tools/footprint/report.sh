#!/usr/bin/env bash
# Prints the Cortex-M4 footprint of the firmware image per component (flash
# and static RAM, from the linker map) and the TLS pool's peak use during a
# full RSA handshake (from the no-heap self-test image run under QEMU).
#
# usage: tools/footprint/report.sh [BUILD_DIR]     (default: build/cortex-m4)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build/cortex-m4}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset cortex-m4 -S "$repo" >/dev/null
fi
cmake --build "$build" --target posagent_mps2_footprint posagent_mps2_footprint_parts posagent_mps2_selftest >/dev/null

dir=$build/firmware/mps2-footprint
image=$dir/posagent_mps2_footprint
parts=$dir/posagent_mps2_footprint_parts
# flash: code, read-only data and .data's load image; static RAM: .data + .bss.
sizes() { arm-none-eabi-size "$1" | awk 'NR == 2 { print $1 + $2, $2 + $3 }'; }
read -r flash ram < <(sizes "$image")
read -r parts_flash _ < <(sizes "$parts")
echo "Cortex-M4 footprint of posagent_mps2_footprint (arm-none-eabi-gcc -Os, link-time optimisation, --gc-sections, newlib-nano)"
echo "  flash      $flash B of the 163840 B (160 KB) goal"
echo "  static RAM $ram B of the 65536 B (64 KB) goal"
echo
# Link-time optimisation merges the libraries' code, so the per-component
# table comes from the same program linked without it, whose map still
# names each section's library; the shipped image is smaller by the ratio.
echo "Per component, from posagent_mps2_footprint_parts (the same program without link-time optimisation, $parts_flash B of flash):"
awk -f "$repo/tools/footprint/map_by_component.awk" "$parts.map"
echo
# main's static objects are the composition's state (runner, PG buffers,
# TLS session, ...): the table counts them under "image, HAL, CAs" because
# main.cpp defines them, so they are listed here by object.
echo "Static objects of the image's main (their RAM is in \"image, HAL, CAs\"):"
arm-none-eabi-nm -S -C --size-sort "$parts" | awk '
  function hex(s,   i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
  $3 ~ /^[bBdD]$/ && $4 ~ /^main::/ { printf "  %8d  %s\n", hex($2), $4 }' | sort -rn
echo
echo "Section totals (arm-none-eabi-size), shipped image then per-component image:"
arm-none-eabi-size "$image" "$parts"
echo
selftest=$build/firmware/mps2-selftest/posagent_mps2_selftest
qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
  -semihosting-config enable=on,target=native -kernel "$selftest" 2>&1 | grep -E 'pool|stack|PASS|FAIL'
# The sale composition's own run (about 4 s: it waits out two back-offs).
qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
  -semihosting-config enable=on,target=native -kernel "$image" 2>&1 | grep -E 'stack|FAIL'
echo
# -fstack-usage's frames of the shipped image, as the link-time optimiser
# emitted them (inlined functions count in their caller): where the stack
# goes, including paths the runs above do not take (a status read needs a
# network: its frame adds to the sale's chain).
echo "Largest stack frames of posagent_mps2_footprint (bytes):"
cat "$image".ltrans*.ltrans.su |
  awk -F'\t' '{ n = split($1, p, ":"); file = p[1]; sub(/.*\//, "", file); printf "  %6d  %s (%s)\n", $2, p[n], file }' |
  sort -rn | awk 'NR <= 10'
