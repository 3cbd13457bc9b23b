#!/usr/bin/env bash
# Runs sekoia-wizard over a local copy of the automation-library (not part of CI; the library is read,
# never committed): for every module with Python code, on a scratch git clone of the library,
#   1. `add action --dep` must be purely additive: `git diff` shows only new files, added lines in main.py
#      and pyproject.toml (none removed) and nothing else;
#   2. the library's own compliance checker gives the same verdict for the module before and after;
#   3. `sync` then `sync` again: the second run changes nothing, and `sync --check` is clean.
# Usage: scripts/library-check.sh LIBRARY_PATH [MODULE...]
# Needs: git; for step 2 a Python with the checker's dependencies in $CHECKER_PYTHON (see
# shared/reference/library-notes.md §5); without it step 2 is skipped.
set -uo pipefail
LIB=$(cd "${1:?usage: $0 LIBRARY_PATH [MODULE...]}" && pwd)
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WIZ=$("$ROOT/scripts/wizard-bin.sh") || exit 1
CHECKER_PYTHON=${CHECKER_PYTHON:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git clone -q "$LIB" "$WORK/lib"
cd "$WORK/lib" || exit 1
git config user.email check@example.com
git config user.name check

if [ $# -gt 0 ]; then MODULES=("$@"); else
  mapfile -t MODULES < <(for m in */main.py; do dirname "$m"; done)
fi

checker() { # module → its error lines, sorted
  [ -n "$CHECKER_PYTHON" ] || return 0
  (cd _utils && "$CHECKER_PYTHON" compliance check --module "$1" 2>&1 | grep -v '^🔎\|No errors found' | sort)
}

total=0; additive=0; verdict=0; syncok=0
for m in "${MODULES[@]}"; do
  total=$((total + 1))
  problems=()
  before=$(checker "$m")
  if ! out=$("$WIZ" add action --module "$m" --name "Probe lookup" --arg target:str,required --result found:bool --dep pyyaml-probe --no-lock 2>&1); then
    problems+=("add refused: $(echo "$out" | head -3 | tr '\n' ' ')")
  else
    # Only new files and added lines.
    changed=$(git diff --name-only -- "$m" | grep -vxF -e "$m/main.py" -e "$m/pyproject.toml")
    [ -n "$changed" ] && problems+=("add changed: $changed")
    removed=$(git diff -U0 -- "$m/main.py" "$m/pyproject.toml" | grep '^-[^-]' || true)
    [ -n "$removed" ] && problems+=("add removed from main.py: $removed")
    after=$(checker "$m")
    if [ "$before" == "$after" ]; then verdict=$((verdict + 1)); else
      problems+=("checker verdict changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -3 | tr '\n' ' ')")
    fi
  fi
  [ ${#problems[@]} -eq 0 ] && additive=$((additive + 1))
  git checkout -q -- . && git clean -fdq
  # sync: idempotent and clean afterwards.
  if out=$("$WIZ" sync "$m" 2>&1); then
    git add -A "$m" && git commit -qm sync --allow-empty
    "$WIZ" sync "$m" >/dev/null 2>&1
    check=$("$WIZ" sync "$m" --check 2>&1); rc=$?
    if [ $rc -eq 0 ] && [ -z "$(git status --porcelain -- "$m")" ]; then syncok=$((syncok + 1)); else
      problems+=("sync not stable: $(echo "$check" | head -3 | tr '\n' ' ')")
    fi
    git reset -q --hard HEAD~1
  else
    problems+=("sync failed: $(echo "$out" | grep -v '^warning' | head -2 | tr '\n' ' ')")
  fi
  git clean -fdq
  if [ ${#problems[@]} -gt 0 ]; then
    echo "✗ $m"; printf '    %s\n' "${problems[@]}"
  fi
done
echo "modules: $total; add purely additive: $additive; checker verdict unchanged: $verdict; sync stable: $syncok"
