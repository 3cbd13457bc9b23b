#!/usr/bin/env bash
# Runs sekoia-wizard check and the real Python checker on the same library checkout and diffs
# their error lines (Python set orders normalised, file order ignored).
# Usage: scripts/compare-with-python-checker.sh LIBRARY_ROOT [PYTHON]
#   LIBRARY_ROOT must contain _utils/compliance (an automation-library checkout);
#   PYTHON is a python with the checker's dependencies (default: python3).
# The wizard binary is taken from $SEKOIA_WIZARD (default: the release build, scripts/wizard-bin.sh).
set -euo pipefail
root=${1:?library root}
python=${2:-python3}
wizard=${SEKOIA_WIZARD:-$("$(dirname "$0")/wizard-bin.sh")}
normalise() {
  grep -v -e '^🔎' -e '^❌' -e '^✅' -e '^warning: ' -e '^FIX ' -e '^🛠' -e '^(' -e '^raw_name:' -e '^$' |
    python3 -c '
import sys, re
for line in sys.stdin:
    line = line.rstrip("\n")
    m = re.search(r"Options are \[([^]]*)\]", line)
    if m:
        line = line.replace(m.group(0), "Options are [" + ",".join(sorted(m.group(1).split(","))) + "]")
    print(line)' | sort
}
ours=$(mktemp) theirs=$(mktemp)
"$wizard" check --library "$root" | normalise > "$ours" || true
(cd "$root/_utils" && "$python" compliance check) | normalise > "$theirs" || true
if diff -u "$theirs" "$ours"; then
  echo "same $(wc -l < "$ours") error line(s)"
else
  echo "(- python checker, + sekoia-wizard)"
  exit 1
fi
