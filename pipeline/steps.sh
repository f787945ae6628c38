# shellcheck shell=bash
# The steps of patches/series, shared by pipeline/prepare.sh (the tree) and
# pipeline/series.sh (the git series): one step a line, in order,
#   NNNN-name.patch [new=PATH[,PATH...]] [cocci=RULE[,RULE...]]
#       copy the overlay files named by new= to their kernel paths, apply
#       the patch, then run the semantic patches cocci/RULE.cocci named by
#       cocci= (their changes belong to the same commit: a change of
#       signature converts its callers);
#   cocci RULE[,RULE...]
#       run those semantic patches: a commit of its own.
# Overlay files that no new= names are copied before the first step, rules
# that no step names run after the last one, in name order.  So each file
# and each conversion enters the series where it first builds and is
# needed, and the tree is the same whether it is prepared or committed.
#
#   steps_read TOP     fills step_kind[] (patch|cocci), step_patch[],
#                      step_new[] and step_cocci[] (space-separated), and
#                      overlay_early[] and cocci_late[]
#   overlay_files      every file of the overlay, sorted

overlay_dirs=(arch block drivers fs include kernel lib mm samples tools Documentation)
overlay_files() {
	local d
	for d in "${overlay_dirs[@]}"; do
		[ -d "$d" ] && find "$d" -type f ! -name '*~' ! -name '.*.sw?' ! -name '*.orig' ! -name '*.rej'
	done | LC_ALL=C sort
}

steps_read() {
	local top=$1 first rest w f named_new=" " named_cocci=" "
	step_kind=() step_patch=() step_new=() step_cocci=() overlay_early=() cocci_late=()
	[ -f "$top/patches/series" ] || return 0
	while read -r first rest; do
		case "$first" in '' | '#'*) continue ;; esac
		if [ "$first" = cocci ]; then
			step_kind+=(cocci) step_patch+=("") step_new+=("")
			step_cocci+=("${rest//,/ }")
			named_cocci+="${rest//,/ } "
			continue
		fi
		[ -f "$top/patches/$first" ] || { echo "steps: patches/$first: no such patch" >&2; return 1; }
		local new="" cocci=""
		for w in $rest; do
			case "$w" in
			new=*) new=${w#new=} new=${new//,/ } ;;
			cocci=*) cocci=${w#cocci=} cocci=${cocci//,/ } ;;
			*) echo "steps: patches/series: '$w' after $first: new= or cocci=" >&2; return 1 ;;
			esac
		done
		for f in $new; do
			[ -f "$top/$f" ] || { echo "steps: new=$f after $first: not in the overlay" >&2; return 1; }
		done
		step_kind+=(patch) step_patch+=("$first") step_new+=("$new") step_cocci+=("$cocci")
		named_new+="$new " named_cocci+="$cocci "
	done < "$top/patches/series"
	for w in ${named_cocci}; do
		[ -f "$top/cocci/$w.cocci" ] || { echo "steps: cocci $w: no cocci/$w.cocci" >&2; return 1; }
	done
	while read -r f; do
		[[ "$named_new" == *" $f "* ]] || overlay_early+=("$f")
	done < <(cd "$top" && overlay_files)
	for f in "$top"/cocci/*.cocci; do
		[ -e "$f" ] || continue
		w=$(basename "$f" .cocci)
		[[ "$named_cocci" == *" $w "* ]] || cocci_late+=("$w")
	done
}

# steps_copy TOP DEST FILE...: overlay files to their kernel paths in DEST,
# replacing (not writing through) hard-linked files.
steps_copy() {
	local top=$1 dest=$2 f
	shift 2
	for f in "$@"; do
		mkdir -p "$dest/$(dirname "$f")"
		cp --remove-destination "$top/$f" "$dest/$f"
	done
}
