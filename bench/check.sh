#!/usr/bin/env bash
# Benchmarks `mkn check` on synthetic corpora of N practices.
#
#   bench/check.sh                 # N = 1000 10000 100000
#   bench/check.sh 1000 10000      # chosen sizes
#
# Environment: MKN=path/to/mkn (default: build target/release/mkn), SEED (42),
# CACHE (bench/.cache). Each corpus is generated once into $CACHE and reused
# while bench/gen-corpus, mkn.toml and schema/ are unchanged.
# Writes bench/results/check-<date>.md (table + machine) and the hyperfine JSON.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
SEED="${SEED:-42}"
CACHE="${CACHE:-$BENCH/.cache}"
RESULTS="$BENCH/results"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)

die() { echo "check.sh: $*" >&2; exit 2; }

command -v hyperfine >/dev/null || {
  echo "check.sh: installing hyperfine" >&2
  apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null; } \
    || die "hyperfine is missing and could not be installed"
}
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

if [ -z "${MKN:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
  MKN="$ROOT/target/release/mkn"
fi
[ -x "$MKN" ] || die "no mkn binary at $MKN"

mkdir -p "$CACHE" "$RESULTS"
stamp="$(cat "$BENCH/gen-corpus" "$ROOT/mkn.toml" $(find "$ROOT/schema" -type f | sort) | sha256sum | cut -c1-16)"
when="$(date -u +%Y-%m-%d-%H%M)"
out="$RESULTS/check-$when.md"

rows=()
for n in "${SIZES[@]}"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a number of practices: $n"
  dir="$CACHE/corpus-$n-seed$SEED"
  if [ "$(cat "$dir/.bench-stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "== generating $n practices into $dir" >&2
    rm -rf "$dir"
    "$BENCH/gen-corpus" --practices "$n" --seed "$SEED" --out "$dir"
    echo "$stamp" > "$dir/.bench-stamp"
  fi
  # The corpus must be clean: a check that reports problems measures something else.
  summary="$("$MKN" --corpus "$dir" --color never check | tail -n 1)" \
    || die "mkn check reports problems on $dir: $summary"
  files="$(sed -n 's/^checked \([0-9]*\) documents.*/\1/p' <<<"$summary")"
  runs=10; [ "$n" -ge 100000 ] && runs=5
  json="$RESULTS/check-$when-$n.json"
  echo "== $n practices ($files files): hyperfine, $runs runs; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$json" \
    "$MKN --corpus $dir --color never check" >&2
  read -r median min < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["median"], r["min"]))' "$json")
  peak_kb=0
  for _ in 1 2 3; do
    kb="$( { /usr/bin/time -f '%M' "$MKN" --corpus "$dir" --color never check >/dev/null; } 2>&1 | tail -n 1)"
    [ "$kb" -gt "$peak_kb" ] && peak_kb="$kb"
  done
  peak_mib="$(awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')"
  rows+=("| $n | $files | $median | $min | $peak_mib |")
done

commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes in src/)"
fi
{
  echo "# mkn check benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "| N | files | median s | min s | peak MiB |"
  echo "|--:|--:|--:|--:|--:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
  echo "- RAM: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- Kernel: $(uname -sr)"
  echo "- rustc: $(rustc --version 2>/dev/null || echo unknown)"
  echo "- mkn: commit $commit, binary $MKN"
  echo "- Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Corpus: bench/gen-corpus --seed $SEED; files = practices + profiles checked"
  echo "- median/min: hyperfine wall time (--warmup 1, 10 runs, 5 for N >= 100000); peak: max RSS of 3 runs (/usr/bin/time)"
} > "$out"
cat "$out"
echo "written: ${out#$ROOT/}" >&2
