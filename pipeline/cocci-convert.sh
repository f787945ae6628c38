#!/usr/bin/env bash
# Convert driver sources with the semantic patches alone, as a driver
# author would: every cocci/*.cocci in patch mode, in name order, in place;
# then every rule in report mode.  Prints what the rules still report (one
# line a site; nothing when the conversion is complete).
#   cocci-convert.sh FILE...
# spatch's messages go to $COCCI_LOG (default /dev/null).
set -euo pipefail

top=${TOP:?}
log=${COCCI_LOG:-/dev/null}
[ $# -gt 0 ] || { echo "usage: cocci-convert.sh FILE..." >&2; exit 2; }

opts() { sed -n 's@^// Options:[[:space:]]*@@p' "$1" | head -1; }

for f in "$@"; do
	for r in "$top"/cocci/*.cocci; do
		# shellcheck disable=SC2046 # the rule's options are words
		spatch --sp-file "$r" -D patch --very-quiet $(opts "$r") --in-place "$f" >>"$log" 2>&1
	done
done
for f in "$@"; do
	for r in "$top"/cocci/*.cocci; do
		# shellcheck disable=SC2046
		spatch --sp-file "$r" -D report --very-quiet $(opts "$r") --no-show-diff "$f" 2>>"$log"
	done
done
