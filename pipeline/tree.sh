#!/usr/bin/env bash
# Resolve (and for BASE=patched, prepare) the tree every target works on and
# print its path on stdout: the untouched base for BASE=stock, else the
# prepared copy in build/patched/linux.  Progress goes to stderr.
set -euo pipefail
base=$("$TOP/pipeline/base.sh")
echo "base: $base (linux $(make -s -C "$base" kernelversion)$(
	[ -n "${KSRC:-}" ] || echo ", linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12)"))" >&2
if [ "$BASE_KIND" = stock ]; then
	echo "$base"
else
	"$TOP/pipeline/prepare.sh" "$base" "$BUILD/patched/linux" >&2
	echo "$BUILD/patched/linux"
fi
