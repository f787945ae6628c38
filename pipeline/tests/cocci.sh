#!/usr/bin/env bash
# The semantic-patch corpus (cocci/tests/<rule>/*.c), in the manner of
# Coccinelle's own tests.  For each input file:
#   patch    the result equals <case>.res (or the input, if there is none);
#   again    patching the result changes nothing;
#   report   the report lines equal <case>.report (or none);
#   context  context mode flags something iff the report does;
#   org      org mode flags something iff the report does.
# Writes $RESULTS/cocci.counts.
set -uo pipefail

top=${TOP:?}
logs=$LOGS
mkdir -p "$logs" "$RESULTS"
log=$logs/cocci-tests.log
: > "$log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

check() { # name condition-result
	if [ "$2" = ok ]; then
		passed=$((passed + 1))
		echo "ok   $1" >> "$log"
	else
		failed=$((failed + 1))
		echo "FAIL $1" | tee -a "$log"
	fi
}

spatch_opts() { sed -n 's@^// Options:[[:space:]]*@@p' "$1" | head -1; }

for dir in "$top"/cocci/tests/*/; do
	rule=$(basename "$dir")
	sp=$top/cocci/$rule.cocci
	opts=$(spatch_opts "$sp")
	for c in "$dir"*.c; do
		[ -e "$c" ] || continue
		name=$rule/$(basename "$c" .c)
		cp "$c" "$work/in.c"
		cd "$work"
		# shellcheck disable=SC2086
		spatch --sp-file "$sp" -D patch $opts --very-quiet in.c -o out.c >>"$log" 2>&1
		[ -f out.c ] || cp in.c out.c
		want=${c%.c}.res
		[ -f "$want" ] || want=$c
		cmp -s out.c "$want" && r=ok || { r=fail; diff -u "$want" out.c >> "$log"; }
		check "$name patch" $r

		# shellcheck disable=SC2086
		spatch --sp-file "$sp" -D patch $opts --very-quiet out.c -o again.c >>"$log" 2>&1
		[ -f again.c ] || cp out.c again.c
		cmp -s again.c out.c && r=ok || r=fail
		check "$name again (idempotent)" $r

		cp "$c" "$work/$(basename "$c")"
		# shellcheck disable=SC2086
		spatch --sp-file "$sp" -D report $opts --very-quiet --no-show-diff "$(basename "$c")" \
			2>>"$log" | sort > report.txt
		want=${c%.c}.report
		if [ -f "$want" ]; then sort "$want" > want.txt; else : > want.txt; fi
		cmp -s report.txt want.txt && r=ok || { r=fail; diff -u want.txt report.txt >> "$log"; }
		check "$name report" $r

		for mode in context org; do
			# shellcheck disable=SC2086
			n=$(spatch --sp-file "$sp" -D $mode $opts --very-quiet "$(basename "$c")" 2>>"$log" |
				grep -c '^[-+*]\|^\* TODO' || true)
			if { [ "$n" -gt 0 ] && [ -s want.txt ]; } || { [ "$n" -eq 0 ] && [ ! -s want.txt ]; }; then
				r=ok
			else
				r=fail
			fi
			check "$name $mode" $r
		done
		rm -f out.c again.c "$(basename "$c")"
		cd "$top"
	done
done
echo "$passed $failed 0" > "$RESULTS/cocci.counts"
echo "cocci: corpus $passed passed, $failed failed (log: $log)"
