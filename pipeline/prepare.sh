#!/usr/bin/env bash
# Prepare the patched tree from the base, in the order of patches/series
# (pipeline/steps.sh): the overlay files no step names, then each step (its
# new overlay files, its patch, any reject or fuzz failing, its semantic
# patches), then the semantic patches no step names, in name order.
# The result is built in a hard-linked staging copy and synchronised by
# content into build/<tag>/linux, so unchanged files keep their mtime and a
# one-file change rebuilds one file.  A stamp of every input makes a second
# run a no-op.
set -euo pipefail

top=${TOP:?}
build=${BUILD:?}
base=${1:?base directory}
out=${2:?tree directory}
stage=$out.stage
cd "$top"

# shellcheck source=pipeline/steps.sh
. "$top/pipeline/steps.sh"
steps_read "$top"
coccis=()
for c in cocci/*.cocci; do [ -e "$c" ] && coccis+=("$c"); done

inputs_hash() {
	{
		echo "base $base $(make -s -C "$base" kernelversion)"
		dpkg-query -W -f='${Version}\n' linux-source-6.12 2>/dev/null || true
		spatch --version 2>/dev/null | head -1 || true
		sha256sum pipeline/prepare.sh pipeline/steps.sh pipeline/cocci-apply.sh
		overlay_files | xargs -r sha256sum
		[ -f patches/series ] && sha256sum patches/series
		for p in "${step_patch[@]}"; do [ -z "$p" ] || sha256sum "patches/$p"; done
		for c in "${coccis[@]}"; do sha256sum "$c"; done
	} | sha256sum | cut -d' ' -f1
}

want=$(inputs_hash)
if [ -f "$out/.devmem-prepared" ] && [ "$(cat "$out/.devmem-prepared")" = "$want" ]; then
	echo "prepare: $out is up to date"
	exit 0
fi

echo "prepare: base $base ($(make -s -C "$base" kernelversion))"
rm -rf "$stage"
mkdir -p "$(dirname "$stage")"
# Hard links make the staging copy cheap; every step below replaces a file
# (cp --remove-destination, patch, rename) rather than writing through a link.
if ! cp -al "$base" "$stage" 2>/dev/null; then
	rm -rf "$stage"
	cp -a "$base" "$stage"
fi
rm -rf "$stage/.git" "$stage/.devmem-prepared"

steps_copy "$top" "$stage" "${overlay_early[@]}"
echo "prepare: overlay: ${#overlay_early[@]} files before the first step"

for i in "${!step_kind[@]}"; do
	# shellcheck disable=SC2086
	steps_copy "$top" "$stage" ${step_new[$i]}
	p=${step_patch[$i]}
	if [ -n "$p" ]; then
		log=$(cd "$stage" && patch -p1 -F0 -N --no-backup-if-mismatch -r - < "$top/patches/$p" 2>&1) || {
			echo "$log" >&2
			echo "prepare: patches/$p does not apply" >&2
			exit 1
		}
		if grep -qi 'fuzz\|reject' <<<"$log"; then
			echo "$log" >&2
			echo "prepare: patches/$p applies only with fuzz" >&2
			exit 1
		fi
		echo "prepare: patch $p${step_new[$i]:+ (new: ${step_new[$i]})}"
	fi
	for c in ${step_cocci[$i]}; do
		bash pipeline/cocci-apply.sh "cocci/$c.cocci" "$stage"
	done
done

for c in "${cocci_late[@]}"; do
	bash pipeline/cocci-apply.sh "cocci/$c.cocci" "$stage"
done

mkdir -p "$out"
rsync -rlc --delete --exclude=/.devmem-prepared "$stage/" "$out/"
rm -rf "$stage"
echo "$want" > "$out/.devmem-prepared"
echo "prepare: $out ready"
