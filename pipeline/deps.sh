#!/usr/bin/env bash
# Install what the pipeline needs with apt-get, only when something is missing.
# The kernel source is pinned so that a new Debian upload never moves the base.
set -euo pipefail

LINUX_SOURCE_VERSION=${LINUX_SOURCE_VERSION:-6.12.117-1~deb12u1}

pkgs=(
	"linux-source-6.12=$LINUX_SOURCE_VERSION"
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio xz-utils
	rsync ccache python3 kmod git
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
	qemu-system-x86 qemu-system-arm
	coccinelle sparse
)

missing=()
for p in "${pkgs[@]}"; do
	name=${p%%=*}
	want=${p#*=}
	have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
	case "$have" in
	"install ok installed "*)
		[ "$want" = "$p" ] || [ "${have##* }" = "$want" ] || missing+=("$p")
		;;
	*) missing+=("$p") ;;
	esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (apt-get install) or install them" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends --allow-downgrades "${missing[@]}" >/dev/null
