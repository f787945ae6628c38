#!/usr/bin/env bash
# make demo: build the kernel of each ARCH (arm64: VA_BITS=39, 4K pages), boot
# it in QEMU and run the demonstration scenario (pipeline/guest/devmem-demo.c):
# device-private memory registered by lib/test_hmm, a buffer migrated to it
# and faulted back, every byte verified, sizes and timings reported.
set -uo pipefail

top=${TOP:?}
arches=${1:?arch}
rc=0
tree=$("$top/pipeline/tree.sh") || exit 1
for arch in $arches; do
	obj=$BUILD/$BASE_KIND/$arch
	KUNIT_MODE=build "$top/pipeline/kunit.sh" "$tree" "$arch" "$obj" || { rc=1; continue; }
	echo "demo: $arch, base $BASE_KIND, guest RAM ${GUEST_MEM:-2G}"
	if ! DEMO_ARGS=${DEMO_MIB:-64} "$top/pipeline/guest.sh" "$tree" "$arch" "$obj" demo "" "${DEMO_CMDLINE:-}"; then
		echo "demo: $arch: FAILED (console: $LOGS/demo-$arch.console.log)"
		rc=1
	fi
	echo "demo: $arch: device-private registrations reported by the kernel:"
	grep -a 'hmm_dmirror\|memdesc:\|added new' "$LOGS/demo-$arch.console.log" | grep -v 'DEVMEM-\|devmem-demo' | tr -d '\r' | sed 's/^<[0-9]>//; s/^/  /' | head -20
done
exit $rc
