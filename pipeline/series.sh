#!/usr/bin/env bash
# make series: the prepared tree as a git format-patch series against the
# pristine base, in the order of patches/series (pipeline/steps.sh): a
# commit per patch, with the overlay files it names and the changes of the
# semantic patches it names, and a commit per semantic patch run on its
# own.  The result, build/series/out/*.patch, applies with 'git am' to a
# 6.12 tree and gives the tree that make test prepares.
# SERIES_CHECK=1 also builds the first and the last commit (x86_64, the
# KUnit configuration); SERIES_CHECK=all builds, tests and checks every
# commit (pipeline/series-check.sh); SERIES_CHECK=am applies the patches
# with 'git am' to a fresh git tree of the base and builds the result.
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

# shellcheck source=pipeline/steps.sh
. "$top/pipeline/steps.sh"
steps_read "$top"

# One commit per semantic patch run on its own, saying what it converts.
cocci_msg() { # rule...
	local c
	if [ $# -eq 1 ]; then
		echo "treewide: convert device-private PFN uses with $1.cocci"
	else
		echo "treewide: convert device-private PFN uses with $*"
	fi
	for c in "$@"; do
		echo
		sed -n 's@^///[[:space:]]\{0,1\}@@p' "$top/cocci/$c.cocci"
	done
	echo
	echo "Generated with:"
	for c in "$@"; do
		echo "  spatch --sp-file cocci/$c.cocci -D patch --dir <dir>"
	done
	if git diff --cached -U0 | sed -n 's/^+\([^+]\)/\1/p' | expand | awk 'length > 100 { f = 1 } END { exit !f }'; then
		echo
		echo "checkpatch --strict: the LONG_LINE warnings are lines the semantic"
		echo "patch writes: Coccinelle 1.1.1 joins a call it rewrites onto one line."
	fi
	echo
	echo "Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
}
run_rules() { # rule...
	local c
	for c in "$@"; do
		bash "$top/pipeline/cocci-apply.sh" "$top/cocci/$c.cocci" . >/dev/null
	done
	git add -f -A .
}

if [ ${#overlay_early[@]} -gt 0 ]; then
	steps_copy "$top" . "${overlay_early[@]}"
	git add -f "${overlay_early[@]}"
	git commit -q -m "mm: add the new files of the series that no patch names" -m \
		"Files of the overlay that patches/series does not give to a patch; not yet built."
fi

for i in "${!step_kind[@]}"; do
	# shellcheck disable=SC2086
	steps_copy "$top" . ${step_new[$i]}
	if [ "${step_kind[$i]}" = patch ]; then
		git am -q --keep-cr "$top/patches/${step_patch[$i]}"
		# shellcheck disable=SC2086
		run_rules ${step_cocci[$i]}
		git diff --cached --quiet || git commit -q --amend --no-edit
	else
		# shellcheck disable=SC2086
		run_rules ${step_cocci[$i]}
		# shellcheck disable=SC2086
		git diff --cached --quiet || cocci_msg ${step_cocci[$i]} | git commit -q -F -
	fi
done

for c in "${cocci_late[@]}"; do
	run_rules "$c"
	git diff --cached --quiet || cocci_msg "$c" | git commit -q -F -
done

git format-patch -q --no-signature -o "$out/out" base..HEAD
echo "series: $(ls "$out"/out/*.patch | wc -l) patches in $out/out"
git log --oneline base..HEAD

case "${SERIES_CHECK:-0}" in
0) ;;
all) exec "$top/pipeline/series-check.sh" "$repo" "$out/out" ;;
1)
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
	git checkout -q master
	;;
am)
	# What a maintainer does with the mail: 'git am' of every patch of
	# $out/out onto the pristine base (the tarball's tree, commit "base"),
	# on a branch of its own, and a build of the result, in series-check's
	# build directory with its configuration (ccache: the same tree
	# rebuilds in minutes).
	n=$(ls "$out"/out/*.patch | wc -l)
	git checkout -q -b am base
	if ! git am -q --keep-cr "$out"/out/*.patch >"$out/am.log" 2>&1; then
		echo "series: git am stopped (see $out/am.log)"
		exit 1
	fi
	echo "series: git am: $n patches applied onto '$(git log -1 --format=%s base)' (the tarball's tree)"
	if [ "$(git rev-parse 'am^{tree}')" != "$(git rev-parse 'master^{tree}')" ]; then
		echo "series: the tree git am gives differs from the series' last commit"
		exit 1
	fi
	echo "series: git am gives the series' last tree ($(git rev-parse --short 'am^{tree}'))"
	obj=${BUILD:?}/series-check/x86_64
	mkdir -p "$obj"
	[ -f "$obj/.config" ] ||
		cat "$top"/kunit/common.kunitconfig "$top"/kunit/x86_64.kunitconfig > "$obj/.config"
	make -s O="$obj" olddefconfig >/dev/null
	start=$(date +%s)
	if make -s O="$obj" -j"${JOBS:-2}" CC="ccache gcc" >"$out/am-build.log" 2>&1; then
		echo "series: $(git log -1 --format='%h %s') builds ($(( $(date +%s) - start ))s, $(grep -c 'warning:' "$out/am-build.log") warnings; log $out/am-build.log)"
	else
		echo "series: the git am tree does NOT build (see $out/am-build.log)"
		exit 1
	fi
	git checkout -q master
	;;
*) echo "series: SERIES_CHECK=$SERIES_CHECK: 0, 1, all or am" >&2; exit 2 ;;
esac
