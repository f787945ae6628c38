#!/usr/bin/env bash
# Print the directory of the base 6.12 source: KSRC when given, else Debian's
# linux-source-6.12 tarball unpacked once under build/src.  The base is never
# modified: the patched tree is a separate copy and builds use O=.
set -euo pipefail

build=${BUILD:?}
if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/mm" ] || {
		echo "base: KSRC=$KSRC is not a kernel tree" >&2
		exit 1
	}
	ver=$(make -s -C "$KSRC" kernelversion)
	case "$ver" in
	6.12|6.12.*) ;;
	*) echo "base: KSRC=$KSRC is $ver, not 6.12.y" >&2; exit 1 ;;
	esac
	cd "$KSRC" && pwd
	exit 0
fi

tarball=/usr/src/linux-source-6.12.tar.xz
debver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
[ -f "$tarball" ] || { echo "base: $tarball missing: run 'make deps'" >&2; exit 1; }

dir=$build/src/linux-source-6.12
stamp=$build/src/.unpacked
if [ "$(cat "$stamp" 2>/dev/null)" != "$debver" ]; then
	echo "base: unpacking linux-source-6.12 $debver" >&2
	rm -rf "$build/src"
	mkdir -p "$build/src"
	tar -C "$build/src" -xf "$tarball"
	echo "$debver" > "$stamp"
fi
cd "$dir" && pwd
