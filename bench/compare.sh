#!/usr/bin/env bash
# Before and after in one run: two mkn binaries on the same generated corpus,
# alternating within each hyperfine run, so that a machine whose speed drifts
# from hour to hour still compares them fairly.
#
#   bench/compare.sh OLD_MKN NEW_MKN [N ...]          # N = 10000 by default
#   OLD_TOML=old-mkn.toml bench/compare.sh OLD NEW    # the mkn.toml OLD reads
#
# It times `check`, `index --rebuild` and a search (without a watcher), each
# with both binaries, and prints a markdown table of medians with peak memory
# (/usr/bin/time -v) beside them. When OLD cannot read today's mkn.toml (a key
# it does not know), give it the mkn.toml of its own commit with OLD_TOML: it
# then runs on a copy of the corpus holding that file.
# Environment: SEED (42), CACHE (bench/.cache), RUNS (5).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
SEED="${SEED:-42}"
CACHE="${CACHE:-$BENCH/.cache}"
RUNS="${RUNS:-5}"

die() { echo "compare.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: bench/compare.sh OLD_MKN NEW_MKN [N ...]"
OLD="$(realpath "$1")"; NEW="$(realpath "$2")"; shift 2
[ -x "$OLD" ] && [ -x "$NEW" ] || die "both binaries must exist and be executable"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(10000)
command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
export MKN_WATCH=never

# Peak resident memory of one run, in MiB.
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {printf "%.0f", $6/1024}'; }

# Median of one command in a hyperfine JSON export, in seconds.
median() { python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"; }

stamp="$(cat "$BENCH/gen-corpus" "$ROOT/mkn.toml" $(find "$ROOT/schema" -type f | sort) | sha256sum | cut -c1-16)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
echo "| N | command | old | new | new/old | old peak MiB | new peak MiB |"
echo "|---|---|---|---|---|---|---|"
for n in "${SIZES[@]}"; do
  new_dir="$CACHE/corpus-$n-seed$SEED"
  if [ "$(cat "$new_dir/.bench-stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "== generating $n practices into $new_dir" >&2
    rm -rf "$new_dir"
    "$BENCH/gen-corpus" --practices "$n" --seed "$SEED" --out "$new_dir"
    echo "$stamp" > "$new_dir/.bench-stamp"
  fi
  old_dir="$new_dir"
  if [ -n "${OLD_TOML:-}" ]; then
    old_dir="$work/old-$n"
    cp -r "$new_dir" "$old_dir"
    cp "$OLD_TOML" "$old_dir/mkn.toml"
  fi
  "$OLD" --corpus "$old_dir" index --rebuild >/dev/null 2>&1 || die "OLD cannot index $old_dir"
  "$NEW" --corpus "$new_dir" index --rebuild >/dev/null 2>&1 || die "NEW cannot index $new_dir"
  for row in "check|check" "index --rebuild|index --rebuild" "search|search --limit 10 winter control"; do
    name="${row%%|*}"; args="${row#*|}"
    json="$work/$n-${name// /-}.json"
    hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$json" \
      "$OLD --corpus $old_dir --color never $args" "$NEW --corpus $new_dir --color never $args" >&2
    old_s="$(median "$json" 0)"; new_s="$(median "$json" 1)"
    ratio="$(python3 -c "print('%.2f' % ($new_s / $old_s))")"
    # shellcheck disable=SC2086
    echo "| $n | $name | ${old_s} s | ${new_s} s | $ratio | $(peak "$OLD" --corpus "$old_dir" --color never $args) | $(peak "$NEW" --corpus "$new_dir" --color never $args) |"
  done
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load before the last run: $(cut -d' ' -f1-3 /proc/loadavg)"
