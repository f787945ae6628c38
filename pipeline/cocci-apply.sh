#!/usr/bin/env bash
# Apply one semantic patch in patch mode to a tree.  spatch writes a diff;
# patch(1) applies it, so hard-linked staging files are replaced, not
# written through.  Directories come from the rule's "// Scope:" line
# (default: the whole tree), options from its "// Options:" line.
set -euo pipefail

sp=$(realpath "${1:?cocci file}")
tree=${2:?tree}
scope=$(sed -n 's@^// Scope:[[:space:]]*@@p' "$sp" | head -1)
opts=$(sed -n 's@^// Options:[[:space:]]*@@p' "$sp" | head -1)
[ -n "$scope" ] || scope=.

# amdgpu's register headers exhaust spatch's stack with the default limit
# (a worker dies and the run fails): as in cocci-report.sh.
ulimit -s unlimited 2>/dev/null || true
diff=$(mktemp)
trap 'rm -f "$diff" "$diff.err"' EXIT
files=0
for d in $scope; do
	[ -e "$tree/$d" ] || continue
	# --use-coccigrep: without git, spatch's own file prefilter finds
	# nothing.  Paths in the diff are relative to --dir.
	# shellcheck disable=SC2086
	(cd "$tree" && spatch --sp-file "$sp" -D patch --very-quiet $opts --use-coccigrep \
		--jobs "${JOBS:-2}" --chunksize 1 --dir "$d") > "$diff" 2>"$diff.err" ||
		{ cat "$diff.err" >&2; exit 1; }
	n=$(grep -c '^+++ ' "$diff" || true)
	[ "$n" -gt 0 ] || continue
	(cd "$tree/$d" && patch -p1 -F0 --no-backup-if-mismatch -r - -s) < "$diff"
	files=$((files + n))
done
echo "prepare: cocci $(basename "$sp"): $files files"
