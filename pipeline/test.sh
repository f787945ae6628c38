#!/usr/bin/env bash
# make test: every stage of every architecture runs even when an earlier one
# failed; the closing line adds them all up and the exit status says whether
# anything failed or did not run.
set -uo pipefail

top=${TOP:?}
tree=${1:?tree}
arches=${2:?arches}
out=$BUILD/$BASE_KIND
start=$(date +%s)
rm -rf "$RESULTS"
mkdir -p "$RESULTS" "$LOGS"

for arch in $arches; do
	"$top/pipeline/kunit.sh" "$tree" "$arch" "$out/$arch"
	"$top/pipeline/guest.sh" "$tree" "$arch" "$out/$arch" hmm
	if [ "$BASE_KIND" = patched ] && [ "$arch" = x86_64 ]; then
		# The page_ext users must cope with index-addressed descriptors.
		"$top/pipeline/guest.sh" "$tree" "$arch" "$out/$arch" hmm page_owner page_owner=on
	fi
done

for t in "$top"/pipeline/tests/*.sh; do
	[ -e "$t" ] && [ "$BASE_KIND" = patched ] && "$t" "$tree"
done

echo "test: base $BASE_KIND ($tree), $(( $(date +%s) - start ))s; logs in $LOGS"
python3 "$top/pipeline/results.py" summary "$RESULTS"
