#!/usr/bin/env bash
# Prepare the patched tree from the base, in a fixed order:
#   1. copy the overlay (our new files, at their kernel paths);
#   2. apply patches/series in order (quilt layout); any reject or fuzz fails;
#   3. run every cocci/*.cocci in patch mode, in name order.
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

overlay_dirs=(arch block drivers fs include kernel lib mm samples tools Documentation)
overlay_files() {
	local d
	for d in "${overlay_dirs[@]}"; do
		[ -d "$d" ] && find "$d" -type f ! -name '*~' ! -name '.*.sw?' ! -name '*.orig' ! -name '*.rej'
	done | LC_ALL=C sort
}

series=()
if [ -f patches/series ]; then
	while read -r p _; do
		case "$p" in ''|'#'*) continue ;; esac
		series+=("$p")
	done < patches/series
fi
coccis=()
for c in cocci/*.cocci; do [ -e "$c" ] && coccis+=("$c"); done

inputs_hash() {
	{
		echo "base $base $(make -s -C "$base" kernelversion)"
		dpkg-query -W -f='${Version}\n' linux-source-6.12 2>/dev/null || true
		spatch --version 2>/dev/null | head -1 || true
		sha256sum pipeline/prepare.sh pipeline/cocci-apply.sh
		overlay_files | xargs -r sha256sum
		[ -f patches/series ] && sha256sum patches/series
		for p in "${series[@]}"; do sha256sum "patches/$p"; done
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

n=0
while read -r f; do
	mkdir -p "$stage/$(dirname "$f")"
	cp --remove-destination "$f" "$stage/$f"
	n=$((n + 1))
done < <(overlay_files)
echo "prepare: overlay: $n files"

for p in "${series[@]}"; do
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
	echo "prepare: patch $p"
done

for c in "${coccis[@]}"; do
	bash pipeline/cocci-apply.sh "$c" "$stage"
done

mkdir -p "$out"
rsync -rlc --delete --exclude=/.devmem-prepared "$stage/" "$out/"
rm -rf "$stage"
echo "$want" > "$out/.devmem-prepared"
echo "prepare: $out ready"
