#!/usr/bin/env bash
# Differential check: random modules, the real SDK's output (or SDK 1.22.5's, with --v1), and
# `sekoia-wizard sync` on the same input. Prints each mismatch; exits 1 if there is any.
# Usage: scripts/sync-differential.sh [--cases N] [--seed S] [--v1]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
python="${SEKOIA_WIZARD_PYTHON:-$here/.venv/bin/python}"
bin="${SEKOIA_WIZARD_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/sekoia-wizard}"
[ -x "$bin" ] || { echo "build first: cargo build --release (or set SEKOIA_WIZARD_BIN)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" "$here/scripts/sync-differential.py" "$work/cases" "$@"
fail=0
for case in "$work"/cases/case-*; do
  out="$work/run-$(basename "$case")"
  cp -r "$case/input" "$out"
  if ! "$bin" sync "$out" >/dev/null 2>"$out.err"; then
    echo "FAIL $(basename "$case"): sync error: $(cat "$out.err")"; fail=1; continue
  fi
  for f in "$case"/expected/*; do
    name="$(basename "$f")"
    if [ "$name" = main.py ]; then
      if ! diff <(sort "$f") <(sort "$out/main.py") >/dev/null; then echo "FAIL $(basename "$case"): main.py lines"; fail=1; fi
    elif ! cmp -s "$f" "$out/$name"; then
      echo "FAIL $(basename "$case"): $name"; diff <(cat "$f"; echo) <(cat "$out/$name"; echo) | head -20; fail=1
      mkdir -p /tmp/sync-diff-failures && rm -rf "/tmp/sync-diff-failures/$(basename "$case")" && cp -r "$case" /tmp/sync-diff-failures/
    fi
  done
  for f in "$out"/action_*.json "$out"/trigger_*.json "$out"/connector_*.json; do
    [ -e "$f" ] || continue
    [ -e "$case/expected/$(basename "$f")" ] || { echo "FAIL $(basename "$case"): extra $(basename "$f")"; fail=1; }
  done
done
[ $fail = 0 ] && echo "all $(ls -d "$work"/cases/case-* | wc -l) cases identical"
exit $fail
