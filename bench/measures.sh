#!/usr/bin/env bash
# Benchmarks of the measures commands (hyperfine), on a copy of the bundled corpus:
#   1. `mkn measure` over the whole MBNC data set (data/measures/mbnc.csv), target < 50 ms end to end;
#   2. `mkn import measures` of a generated CSV of 1,000,000 rows, target < 5 s.
# Usage: bench/measures.sh   (needs hyperfine and python3; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet
mkn="$target/release/mkn"
case "$mkn" in /*) ;; *) mkn="$PWD/$mkn" ;; esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The corpus's settings, vocabularies and data, so the import writes there and not here.
mkdir -p "$work/corpus/data/measures"
cp mkn.toml "$work/corpus/"
cp -r schema "$work/corpus/"
cp data/measures/mbnc.csv "$work/corpus/data/measures/"

# 1,000,000 rows, each (municipality, measure, year) once: municipalities by name where the name is
# unique in the registry (so the names are mapped), else by id; every catalogue measure; years from
# 1990; a numerator and denominator that give the value on every other row. Deterministic.
python3 - "$work/big.csv" <<'PY'
import csv, random, re, sys
random.seed(1)
rows = list(csv.DictReader(open("schema/municipalities.csv")))
count = {}
for r in rows:
    count[r["name"]] = count.get(r["name"], 0) + 1
places = [r["name"] if count[r["name"]] == 1 else r["id"] for r in rows]
measures = re.findall(r"^- id: (\S+)", open("schema/measures.yaml").read(), re.M)
with open(sys.argv[1], "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["Municipality", "Measure", "Year", "Result", "Numerator", "Denominator"])
    n = 0
    for year in range(1990, 2025):
        for measure in measures:
            for place in places:
                if n == 1_000_000:
                    sys.exit()
                if n % 2:
                    out.writerow([place, measure, year, round(random.uniform(0, 10000), 2), "", ""])
                else:
                    d = random.randint(1, 1000)
                    out.writerow([place, measure, year, 3, 3 * d, d])
                n += 1
PY
wc -l "$work/big.csv"

cd "$work/corpus"
hyperfine --warmup 3 --export-markdown "$work/measure.md" \
  "$mkn measure ROAD307 --format json" \
  "$mkn measure ROAD307 --municipality hamilton" \
  "$mkn measure ROAD309 --tier upper --format csv"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/import.md" \
  "$mkn import measures $work/big.csv --name big --municipality-column Municipality --measure-column Measure --year-column Year --value-column Result --numerator-column Numerator --denominator-column Denominator --replace"
cat "$work/measure.md" "$work/import.md"
