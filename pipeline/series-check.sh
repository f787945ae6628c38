#!/usr/bin/env bash
# make series SERIES_CHECK=all: check every commit of the series that
# pipeline/series.sh made, as git bisect would land on it.  For each commit:
#   build  the x86_64 test configuration (kunit/common + kunit/x86_64, and
#          those of our KUnit suites whose Kconfig symbol exists at that
#          commit), in one build directory for all commits, with ccache;
#   kunit  kunit.py run of those suites (n/a where none exists yet);
#   hmm    the hmm-tests guest on that kernel (tools/testing/selftests/mm/
#          hmm-tests and the out-of-tree style driver's scenario);
#   doc    scripts/kernel-doc -none warnings the commit adds in the files it
#          touches (their count at the commit minus at its parent);
#   style  checkpatch --strict findings of the commit's patch (E/W/C; (nx):
#          n of the errors and warnings its message explains, as make
#          check-style counts them).
# A commit is built and run once per content: those results are kept under
# $BUILD/series-check/cache/<tree id>, so a commit whose tree did not change
# (a later patch or a message was edited) is not rebuilt; doc and style are
# redone every time.  Prints the table commit x
# cell and fails if a cell is red: a build, KUnit or hmm failure or checker
# report, a kernel-doc warning added, a checkpatch ERROR or WARNING that the
# commit message does not explain.
#   series-check.sh REPO PATCHDIR
set -uo pipefail

top=${TOP:?}
self=$(realpath "$0")
repo=$(realpath "${1:?repo}")
patches=$(realpath "${2:?patch dir}")
work=${BUILD:?}/series-check
obj=$work/x86_64
cache=$work/cache
mkdir -p "$obj" "$cache"
cd "$repo" || exit 2
# The branch series.sh committed to; checkouts below detach from it.
orig=$(git for-each-ref --count=1 --format='%(objectname)' refs/heads/)

# One key per content and per way of building and running it: the inputs
# of check_commit() below, and CHECK_REV, to bump when check_commit()
# changes (the table's layout and the text checks are redone every run).
CHECK_REV=1
check_ver=$( { echo "$CHECK_REV"; cat "$top"/kunit/common.kunitconfig "$top"/kunit/x86_64.kunitconfig \
	"$top"/kunit/devmem.kunitconfig "$top"/pipeline/kunit.sh "$top"/pipeline/guest.sh \
	"$top"/pipeline/oot-driver.sh "$top"/pipeline/results.py "$top"/pipeline/guest/*.c \
	"$top"/cocci/driver/* "$top"/cocci/*.cocci; } | sha256sum | cut -c1-12)

cp_opts=(--strict --no-tree --terse --show-types
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,COMMIT_LOG_LONG_LINE,CAMELCASE)

doc_warnings() { # rev files...: kernel-doc warnings of those files at rev
	local rev=$1 f n=0 tmp
	shift
	tmp=$(mktemp -d)
	for f in "$@"; do
		git cat-file -e "$rev:$f" 2>/dev/null || continue
		mkdir -p "$tmp/$(dirname "$f")"
		git show "$rev:$f" > "$tmp/$f"
		n=$((n + $(cd "$tmp" && perl "$repo/scripts/kernel-doc" -none "$f" 2>&1 | grep -c 'warning:')))
	done
	rm -rf "$tmp"
	echo "$n"
}

# kernel-doc and checkpatch: no build, so not cached (a commit message may
# change while its tree does not).
check_text() { # rev index dir
	local rev=$1 i=$2 dir=$3 files f sym
	mapfile -t files < <(git diff --name-only "$rev~1" "$rev" -- '*.c' '*.h')
	echo $(( $(doc_warnings "$rev" "${files[@]}") - $(doc_warnings "$rev~1" "${files[@]}") )) \
		> "$dir/doc"
	f=$(ls "$patches" | grep '\.patch$' | sed -n "${i}p")
	perl scripts/checkpatch.pl "${cp_opts[@]}" - < "$patches/$f" > "$dir/checkpatch.log" 2>&1
	for sym in ERROR WARNING CHECK; do
		grep -c ": $sym:" "$dir/checkpatch.log"
	done | paste -sd/ > "$dir/style"
	# ERRORs and WARNINGs the commit message does not explain, as
	# make check-style counts them ("checkpatch --strict: ... TYPE ...").
	local msg type n=0
	msg=$(sed -n '/^Subject:/,/^---$/p' "$patches/$f" | tr '\n' ' ')
	while read -r type; do
		[ -n "$type" ] || continue
		grep -q "checkpatch --strict:.*$type" <<<"$msg" || n=$((n + 1))
	done < <(sed -n 's/.*: \(ERROR\|WARNING\):\([A-Z_]*\):.*/\2/p' "$dir/checkpatch.log")
	echo "$n" > "$dir/unexplained"
}

check_commit() { # rev (checked out) dir -> fills dir
	local rev=$1 dir=$2 sym syms=() cfg
	mkdir -p "$dir/results" "$dir/logs"

	# Our suites that Kconfig can select at this commit.
	cfg=$dir/devmem.kunitconfig
	cat "$top"/kunit/common.kunitconfig "$top"/kunit/x86_64.kunitconfig \
		"$top"/kunit/devmem.kunitconfig > "$obj/.config"
	make -s ARCH=x86_64 O="$obj" olddefconfig > /dev/null 2>&1
	: > "$cfg"
	while read -r sym; do
		case "$sym" in CONFIG_*=y) ;; *) continue ;; esac
		if grep -qx "$sym" "$obj/.config"; then
			echo "$sym" >> "$cfg"
			syms+=("$sym")
		fi
	done < "$top/kunit/devmem.kunitconfig"
	local kind=patched
	[ ${#syms[@]} -gt 0 ] || kind=stock

	env RESULTS="$dir/results" LOGS="$dir/logs" BASE_KIND=$kind DEVMEM_KUNITCONFIG="$cfg" \
		KUNIT_MODE=build "$top/pipeline/kunit.sh" "$repo" x86_64 "$obj" plain > "$dir/build.out" 2>&1
	echo $? > "$dir/build"
	if [ "$(cat "$dir/build")" != 0 ]; then
		echo "- - - - -" > "$dir/results/kunit-x86_64-plain.counts"
		echo "- - - - -" > "$dir/results/hmm-x86_64-plain.counts"
		return 0
	fi
	env RESULTS="$dir/results" LOGS="$dir/logs" BASE_KIND=$kind DEVMEM_KUNITCONFIG="$cfg" \
		"$top/pipeline/kunit.sh" "$repo" x86_64 "$obj" plain > "$dir/kunit.out" 2>&1
	[ "$kind" = patched ] || echo "n/a" > "$dir/kunit-na"
	env RESULTS="$dir/results" LOGS="$dir/logs" BUILD="$work" \
		"$top/pipeline/guest.sh" "$repo" x86_64 "$obj" hmm plain > "$dir/hmm.out" 2>&1
	return 0
}

# "passed/failed/skipped", red when a test failed, a checker report came or
# nothing ran.
cell() { # counts-file -> "text red"
	local p f s r txt red=0
	read -r p f s r _ < "$1" 2>/dev/null || { echo "none 1"; return; }
	[ "$p" = - ] && { echo "- 1"; return; }
	txt=$p/$f/$s
	[ "${r:-0}" -eq 0 ] || txt="$txt+r$r"
	{ [ "${f:-1}" -ne 0 ] || [ "${r:-0}" -ne 0 ] || [ "${p:-0}" -eq 0 ]; } && red=1
	echo "$txt $red"
}

revs=$(git rev-list --reverse base.."$orig")
trap 'git checkout -q --detach "$orig"' EXIT
n=$(wc -l <<<"$revs")
i=0 red_total=0
rows=()
for rev in $revs; do
	i=$((i + 1))
	tree=$(git rev-parse "$rev^{tree}")
	dir=$cache/$tree-$check_ver
	subject=$(git log -1 --format=%s "$rev")
	git checkout -q --detach "$rev"
	if [ ! -f "$dir/done" ]; then
		echo "series-check: [$i/$n] $(git log -1 --format='%h' "$rev") $subject"
		rm -rf "$dir"
		mkdir -p "$dir"
		start=$(date +%s)
		check_commit "$rev" "$dir"
		echo $(( $(date +%s) - start )) > "$dir/seconds"
		touch "$dir/done"
	fi
	text=$work/text/$i
	rm -rf "$text"
	mkdir -p "$text"
	check_text "$rev" "$i" "$text"
	b=ok; red=0
	[ "$(cat "$dir/build")" = 0 ] || { b=FAIL; red=1; }
	read -r k kred < <(cell "$dir/results/kunit-x86_64-plain.counts")
	[ -f "$dir/kunit-na" ] && [ "$b" = ok ] && { k=n/a; kred=0; }
	read -r h hred < <(cell "$dir/results/hmm-x86_64-plain.counts")
	d=$(cat "$text/doc")
	st=$(cat "$text/style")
	u=$(cat "$text/unexplained")
	IFS=/ read -r e w _ <<<"$st"
	[ $((e + w)) -eq "$u" ] || st="$st($((e + w - u))x)"
	[ "$kred" = 1 ] && red=1
	[ "$hred" = 1 ] && red=1
	[ "$d" -gt 0 ] && red=1
	[ "$u" -gt 0 ] && red=1
	red_total=$((red_total + red))
	rows+=("$(printf '%2d %-9s %-5s %-11s %-12s %4s %-7s %5ss %s' "$i" \
		"$(git rev-parse --short=9 "$rev")" "$b" "$k" "$h" "$d" "$st" \
		"$(cat "$dir/seconds")" "$([ $red = 1 ] && echo 'RED ')${subject:0:58}")")
	echo "${rows[-1]}" > "$dir/row"
	echo "series-check: ${rows[-1]}"
done

echo
echo "series-check: every commit, x86_64 test configuration (kunit p/f/s, hmm p/f/s, doc: kernel-doc warnings added, style: checkpatch E/W/C, (nx) n explained in the message)"
printf ' # %-9s %-5s %-11s %-12s %4s %-7s %6s %s\n' commit build kunit hmm doc style time subject
printf '%s\n' "${rows[@]}"
echo "series-check: $n commits, $red_total red (results cached in $cache)"
[ "$red_total" -eq 0 ]
