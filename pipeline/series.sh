#!/usr/bin/env bash
# make series: the prepared tree as a git format-patch series against the
# pristine base: one commit for the overlay, one per patch of patches/series,
# one per semantic patch, in the order the tree is prepared.  The result,
# build/series/out/*.patch, applies with 'git am' to a 6.12 tree.
# SERIES_CHECK=1 also builds the first and the last commit (x86_64, the
# KUnit configuration).
set -euo pipefail

top=${TOP:?}
base=${1:?base}
out=${2:?output dir}
repo=$out/linux
export GIT_AUTHOR_NAME="devmem developers" GIT_AUTHOR_EMAIL="devmem@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

rm -rf "$out"
mkdir -p "$out"
echo "series: copying the base"
cp -a "$base" "$repo"
cd "$repo"
rm -f .devmem-prepared
git init -q
git config core.autocrlf false
# Debian's tarball ignores everything at the top level: track it all anyway.
git add -f -A . >/dev/null
git commit -q -m "base: linux $(make -s kernelversion)"
git tag base

overlay=$(cd "$top" && for d in arch block drivers fs include kernel lib mm samples tools Documentation; do
	[ -d "$d" ] && find "$d" -type f; done | LC_ALL=C sort)
for f in $overlay; do
	mkdir -p "$(dirname "$f")"
	cp "$top/$f" "$f"
done
git add -f $overlay
git commit -q -F - <<'MSG'
mm: add the devmem descriptor table and device index

The new files of the series, not yet built: the descriptor table
(mm/memdesc/, include/linux/memdesc.h), the device index and the
registration by page count (mm/devmem/, include/linux/devmem.h), their
KUnit suites, and Documentation/mm/devmem.rst.  The next commits hook
them into Kconfig and convert their users.
MSG

while read -r p _; do
	case "$p" in ''|'#'*) continue ;; esac
	git am -q --keep-cr "$top/patches/$p"
done < "$top/patches/series"

for c in "$top"/cocci/*.cocci; do
	[ -e "$c" ] || continue
	name=$(basename "$c" .cocci)
	bash "$top/pipeline/cocci-apply.sh" "$c" . >/dev/null
	git add -f -u
	git diff --cached --quiet && continue
	{
		echo "treewide: convert device-private PFN uses with $name.cocci"
		echo
		sed -n 's@^///[[:space:]]\{0,1\}@@p' "$c"
		echo
		echo "Generated with:"
		echo "  spatch --sp-file cocci/$name.cocci -D patch --dir <dir>"
	} | git commit -q -F -
done

git format-patch -q --no-signature -o "$out/out" base..HEAD
echo "series: $(ls "$out"/out/*.patch | wc -l) patches in $out/out"
git log --oneline base..HEAD

if [ "${SERIES_CHECK:-0}" = 1 ]; then
	for rev in "$(git rev-list --reverse base..HEAD | head -1)" "$(git rev-parse HEAD)"; do
		git checkout -q "$rev"
		obj=$out/obj
		rm -rf "$obj"
		mkdir -p "$obj"
		cat "$top"/kunit/common.kunitconfig "$top"/kunit/x86_64.kunitconfig > "$obj/.config"
		make -s O="$obj" olddefconfig >/dev/null
		if make -s O="$obj" -j"${JOBS:-2}" CC="ccache gcc" >"$out/build-$rev.log" 2>&1; then
			echo "series: $(git log -1 --format='%h %s') builds"
		else
			echo "series: $(git log -1 --format='%h %s') does NOT build (see $out/build-$rev.log)"
			exit 1
		fi
	done
	git checkout -q "${revs_end:-master}" 2>/dev/null || true
fi
