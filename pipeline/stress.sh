#!/usr/bin/env bash
# make stress: pipeline/guest/devmem-stress.c in a guest of each ARCH's main
# kernel (x86_64: the KASAN/lockdep kernel), STRESS_SECONDS (600) long, with
# STRESS_SEED (default: the time, printed) so that a failing run replays,
# STRESS_THREADS (default 2 per vCPU).  Builds the kernel if make test has not.
# Counts and logs: build/<base>/results-stress, build/<base>/logs/stress-<arch>*.
#   stress.sh TREE "ARCHES"
set -uo pipefail

top=${TOP:?}
tree=${1:?tree}
arches=${2:?arches}
secs=${STRESS_SECONDS:-600}
seed=${STRESS_SEED:-$(date +%s)}
export RESULTS=$BUILD/$BASE_KIND/results-stress
rm -rf "$RESULTS"
mkdir -p "$RESULTS" "$LOGS"

# shellcheck source=pipeline/kernels.sh
. "$top/pipeline/kernels.sh"
echo "stress: seed $seed, ${secs}s per architecture (replay: make stress STRESS_SEED=$seed)"
for arch in $arches; do
	kernel_setup "$arch" main || continue
	obj=$BUILD/$BASE_KIND/$arch$k_suffix
	KUNIT_MODE=build "$top/pipeline/kunit.sh" "$tree" "$arch" "$obj" main || continue
	# page_owner: a counter left off its baseline names the stacks that
	# allocated what is left (devmem-stress prints them).
	cmdline=$k_cmdline
	[[ " $cmdline " == *" page_owner=on "* ]] || cmdline="$cmdline page_owner=on"
	# Boot (minutes under KASAN and TCG), the run, the final verification.
	STRESS_ARGS="$secs $seed ${STRESS_THREADS:-}" STRESS_TIMEOUT=$((secs * 2 + 900)) \
		"$top/pipeline/guest.sh" "$tree" "$arch" "$obj" stress "" "${cmdline# }"
done
python3 "$top/pipeline/results.py" summary "$RESULTS"
