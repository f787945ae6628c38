#!/usr/bin/env bash
# make check-style: scripts/checkpatch.pl --strict on every file of the
# overlay and every patch of patches/series; a patch's finding counts as
# explained when its commit message names its type after "checkpatch
# --strict:".  CAMELCASE is ignored: with --no-tree checkpatch cannot tell
# page-flag helpers (__SetPageReserved) from new names.
set -uo pipefail
top=${TOP:?}
tree=${1:?tree}
cp="$tree/scripts/checkpatch.pl --strict --no-tree --terse --show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,COMMIT_LOG_LONG_LINE,CAMELCASE"
bad=0 explained=0
cd "$top"
for f in $(find mm include lib Documentation -type f 2>/dev/null \( -name '*.c' -o -name '*.h' \) | sort) patches/*.patch; do
	case "$f" in *.patch) out=$($cp - < "$f" 2>&1 | sed "s|^-:|$f:|") ;; *) out=$($cp -f "$f" 2>&1) ;; esac
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		type=$(sed -n 's/.*: \(ERROR\|WARNING\|CHECK\):\([A-Z_]*\):.*/\2/p' <<<"$line")
		# A patch may leave a finding that its commit message explains:
		# "checkpatch --strict: the <TYPE> check ... because ...".
		if [[ "$f" == *.patch ]] && [ -n "$type" ] &&
			sed -n '/^Subject:/,/^---$/p' "$f" | tr '\n' ' ' | grep -q "checkpatch --strict:.*$type"; then
			explained=$((explained + 1))
			echo "$line (explained in the commit message)"
		else
			bad=$((bad + 1))
			echo "$line"
		fi
	done < <(printf '%s\n' "$out" | grep ': \(ERROR\|WARNING\|CHECK\):')
done
echo "check-style: $bad checkpatch findings, $explained more explained in their commit messages"
[ "$bad" -eq 0 ]
