#!/usr/bin/env bash
# Do two mkn binaries answer the same, byte for byte, on a generated corpus?
#
#   bench/same-output.sh OLD_MKN NEW_MKN [N]     # N practices, default 10000
#
# Compares standard output and exit status of `check` (text and json),
# `search --format json` (free text, filters, sort orders, paging and
# facets, `stats --format json`) and `export --format json|csv` (everything
# and a filtered subset). The corpus is bench/gen-corpus --seed 42 (SEED),
# generated once into CACHE (default bench/.cache); each binary works on its
# own copy, so each builds its own index in .mkn/. No watcher is started.
# Hits of equal rank (same score, or same year or title for those orders)
# come in index order, and a multi-threaded index build orders documents
# differently each time, even with the same binary: an output that differs
# only in which tied hits come first (same total, facets, and sequence of
# rank keys; for exports, the same lines) is reported as `tied`, not as a
# difference. Exits 0 when every output is the same or tied, 1 with the
# differing files named otherwise, 2 on bad arguments.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 2 ] || { echo "usage: bench/same-output.sh OLD_MKN NEW_MKN [N]" >&2; exit 2; }
OLD="$(realpath "$1")"
NEW="$(realpath "$2")"
N="${3:-10000}"
SEED="${SEED:-42}"
CACHE="${CACHE:-$BENCH/.cache}"
for bin in "$OLD" "$NEW"; do
  [ -x "$bin" ] || { echo "bench/same-output.sh: no executable at $bin" >&2; exit 2; }
done

corpus="$CACHE/corpus-$N-seed$SEED"
if [ ! -f "$corpus/mkn.toml" ]; then
  mkdir -p "$CACHE"
  "$BENCH/gen-corpus" --practices "$N" --seed "$SEED" --out "$corpus" >&2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export MKN_WATCH=never

# Every command, one per line: a name for its output file, then the arguments.
commands=(
  "check|--color never check"
  "check-json|check --format json"
  "search-text|search winter control --format json"
  "search-phrase|search \"asset management\" --format json --limit 50"
  "search-facets|search council --facets area,region,kind,year --format json"
  "search-all-facets|list --facets area,region,kind,year,tier,tag --format json --limit 5"
  "search-filter|search water loss kind:best --format json --sort year"
  "search-filter-title|list --area transit --format json --sort title --limit 20 --offset 5"
  "search-typo|search wintr contrl --format json"
  "search-none|search zzzqqq --format json"
  "stats|stats --format json"
  "export-json|export --format json --out -"
  "export-csv|export --format csv --out -"
  "export-filtered-csv|export procurement kind:best --format csv --out -"
)

differ=0
for side in old new; do
  cp -rL "$corpus" "$work/$side"
  rm -rf "$work/$side/.mkn"
  bin="$OLD"; [ "$side" = new ] && bin="$NEW"
  mkdir -p "$work/out-$side"
  for entry in "${commands[@]}"; do
    name="${entry%%|*}"
    args="${entry#*|}"
    status=0
    eval "\"$bin\" --corpus \"$work/$side\" $args" >"$work/out-$side/$name" 2>"$work/out-$side/$name.err" || status=$?
    echo "exit $status" >>"$work/out-$side/$name"
  done
done
# Same up to the order of tied hits? (see the header)
tied() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
old, new, args = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
if "export" in args:
    sys.exit(0 if sorted(old.splitlines()) == sorted(new.splitlines()) else 1)
def shape(text):
    body, _, status = text.rpartition("exit ")
    data = json.loads(body)
    if "--sort year" in args:
        key = lambda h: h["year"]
    elif "--sort title" in args or args.startswith("list"):
        key = lambda h: h["title"].lower()
    else:
        key = lambda h: h["score"]
    rest = {k: v for k, v in data.items() if k != "hits"}
    return status, rest, [key(h) for h in data["hits"]]
try:
    sys.exit(0 if shape(old) == shape(new) else 1)
except (ValueError, KeyError, TypeError):
    sys.exit(1)
PY
}

for entry in "${commands[@]}"; do
  name="${entry%%|*}"
  args="${entry#*|}"
  if cmp -s "$work/out-old/$name" "$work/out-new/$name"; then
    echo "same    $name ($(wc -c <"$work/out-new/$name") bytes)"
  elif tied "$work/out-old/$name" "$work/out-new/$name" "$args"; then
    echo "tied    $name (only tied hits in another order)"
  else
    echo "DIFFERS $name"
    diff <(head -c 2000000 "$work/out-old/$name") <(head -c 2000000 "$work/out-new/$name") | head -10
    differ=1
  fi
done
exit "$differ"
