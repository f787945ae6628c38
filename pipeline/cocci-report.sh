#!/usr/bin/env bash
# make cocci-report [KSRC=<kernel tree or driver directory>]: every remaining
# device-private PFN use, as file:line: pattern: in function(): what to do,
# then counts per pattern and per directory.  Exits non-zero if any remain.
# Without KSRC it reports on the prepared tree.
set -uo pipefail

top=${TOP:?}
target=${1:?directory}
[ -d "$target" ] || { echo "cocci-report: $target is no directory" >&2; exit 2; }
target=$(cd "$target" && pwd)
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
start=$(date +%s)
# amdgpu's register headers (hundreds of thousands of lines each) exhaust
# spatch's stack with the default limit: it dies, and the other files of
# its worker go unreported.  A crash fails the report.
ulimit -s unlimited 2>/dev/null || true
failed=0
for sp in "$top"/cocci/*.cocci; do
	opts=$(sed -n 's@^// Options:[[:space:]]*@@p' "$sp" | head -1)
	# shellcheck disable=SC2086
	(cd "$target" && spatch --sp-file "$sp" -D report --no-show-diff --very-quiet $opts \
		--use-coccigrep --jobs "${JOBS:-2}" --chunksize 1 --dir .) 2>"$err" |
		grep -E '^[^ ]+:[0-9]+:[0-9]+-[0-9]+: devmem_' >> "$out"
	if grep -q "Fatal error\|Segmentation fault\|Stack overflow" "$err"; then
		echo "cocci-report: spatch failed with $(basename "$sp"), files unreported:" >&2
		grep "Fatal error\|Segmentation fault\|Stack overflow" "$err" | head -3 >&2
		failed=1
	fi
done
sed -i 's@^\./@@' "$out"
sort -u -o "$out" "$out"
cat "$out"
n=$(wc -l < "$out")
echo
echo "cocci-report: $n device-private PFN uses in $target ($(( $(date +%s) - start ))s)"
if [ "$n" -gt 0 ]; then
	echo "per pattern:"
	sed -E 's/^[^ ]+: (devmem_[a-z_]+):.*/\1/' "$out" | sort | uniq -c | sed 's/^/  /'
	echo "per directory:"
	sed -E 's@^([^:]+)/[^/:]+:.*@\1@' "$out" | sort | uniq -c | sed 's/^/  /'
fi
[ "$n" -eq 0 ] && [ "$failed" -eq 0 ]
