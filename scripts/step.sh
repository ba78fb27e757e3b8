#!/usr/bin/env bash
# One step of `make`: say what it does, run it, say how long it took.
#   scripts/step.sh [--quiet] "what it does" command args…
# --quiet keeps the command's own output (pip, Maven) in a log that is shown only when the step fails.
set -uo pipefail
quiet=0
if [ "${1:-}" = "--quiet" ]; then quiet=1; shift; fi
label=$1; shift
start=$(date +%s.%N)
printf '▶ %s\n' "$label"
if [ $quiet -eq 1 ]; then
  log=$(mktemp)
  "$@" >"$log" 2>&1; rc=$?
  [ $rc -ne 0 ] && cat "$log" >&2
  rm -f "$log"
else
  "$@"; rc=$?
fi
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
if [ $rc -eq 0 ]; then
  printf '  ✓ %s s\n' "$secs"
else
  printf '  ✗ 失败 / failed (exit %s, %s s)\n' "$rc" "$secs" >&2
fi
exit $rc
