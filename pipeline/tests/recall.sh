#!/usr/bin/env bash
# Recall and false reports of the semantic patches on the corpus drivers
# (cocci/inventory/*.md; pipeline/tests/recall.py): printed per driver and
# per rule; the stage fails on an inventory that no longer matches its
# source.  Writes $RESULTS/recall.counts, the tables to $LOGS/recall.log.
set -uo pipefail

top=${TOP:?}
stock=$(BASE_KIND=stock "$top/pipeline/tree.sh" 2>/dev/null)
mkdir -p "$LOGS" "$RESULTS"
python3 "$top/pipeline/tests/recall.py" "$top" "$stock" "$RESULTS" > "$LOGS/recall.log" 2>&1 ||
	[ -s "$RESULTS/recall.counts" ] || echo "0 1 0" > "$RESULTS/recall.counts"
grep -v '^  \(miss\|false\) ' "$LOGS/recall.log"
