#!/usr/bin/env bash
# make check-style: scripts/checkpatch.pl --strict on every file of the
# overlay and every patch of patches/series.  CAMELCASE is ignored: with
# --no-tree checkpatch cannot tell page-flag helpers (__SetPageReserved) from
# new names.
set -uo pipefail
top=${TOP:?}
tree=${1:?tree}
cp="$tree/scripts/checkpatch.pl --strict --no-tree --terse --show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,COMMIT_LOG_LONG_LINE,CAMELCASE"
bad=0
cd "$top"
for f in $(find mm include lib Documentation -type f 2>/dev/null \( -name '*.c' -o -name '*.h' \) | sort) patches/*.patch; do
	case "$f" in *.patch) out=$($cp - < "$f" 2>&1 | sed "s|^-:|$f:|") ;; *) out=$($cp -f "$f" 2>&1) ;; esac
	n=$(printf '%s\n' "$out" | grep -c ': \(ERROR\|WARNING\|CHECK\):' || true)
	if [ "$n" -gt 0 ]; then
		bad=$((bad + n))
		printf '%s\n' "$out" | grep ': \(ERROR\|WARNING\|CHECK\):'
	fi
done
echo "check-style: $bad checkpatch findings"
[ "$bad" -eq 0 ]
