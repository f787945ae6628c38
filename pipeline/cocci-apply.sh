#!/usr/bin/env bash
# Apply one semantic patch in patch mode to a prepared tree.  spatch writes a
# diff; patch(1) applies it, so hard-linked staging files are replaced, not
# written through.  Directories come from the rule's "// Scope:" line
# (default: the whole tree).
set -euo pipefail

sp=${1:?cocci file}
tree=${2:?tree}
scope=$(sed -n 's@^// Scope:[[:space:]]*@@p' "$sp" | head -1)
[ -n "$scope" ] || scope=.

diff=$(mktemp)
trap 'rm -f "$diff"' EXIT
(
	cd "$tree"
	# shellcheck disable=SC2086
	spatch --sp-file "$OLDPWD/$sp" -D patch --very-quiet --no-show-diff=false \
		--jobs "${JOBS:-2}" --chunksize 1 --include-headers \
		--dir $scope
) > "$diff" 2>"$diff.err" || { cat "$diff.err" >&2; exit 1; }
rm -f "$diff.err"
files=$(grep -c '^+++ ' "$diff" || true)
if [ "$files" -gt 0 ]; then
	(cd "$tree" && patch -p1 -F0 --no-backup-if-mismatch -r - -s) < "$diff"
fi
echo "prepare: cocci $(basename "$sp"): $files files"
