#!/usr/bin/env python3
"""Writes a corpus with a technology profile for every municipality of the
registry, each listing PER technologies, for benchmarking `mkn tech`.

Deterministic: the same arguments give the same files. Copies mkn.toml,
schema/ and practices/ from the repository, writes infobase/, then makes two
git commits (the second moves ratings and versions) so `mkn tech changes`
has history to read.

    python3 bench/gen_tech.py OUT [--per 30] [--seed 5]
"""

import argparse
import csv
import random
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def functions():
    text = (REPO / "schema/functions.yaml").read_text()
    return re.findall(r"^- (?:\{\s*)?id:\s*([a-z0-9-]+)", text, re.M)


def profile(m, rng, funcs, per, bump):
    lines = ["---", f"municipality: {m['id']}", 'updated: "2025-06-01"', "technologies:"]
    for function in rng.sample(funcs, min(per, len(funcs))):
        n = rng.randrange(5)
        product = f"{function.replace('-', ' ').title()} Suite {n}"
        vendor = f"Vendor {function[:3].upper()}{n}"
        rating = rng.randrange(1, 6)
        version = f"{rng.randrange(1, 20)}.{rng.randrange(10)}"
        status = rng.choices(["in-use", "planned", "retiring", "retired"], [80, 8, 6, 6])[0]
        if bump and rng.random() < 0.1:
            rating = min(5, rating + 1)
            version = version + ".1"
        lines += [
            f"  - product: {product}",
            f"    vendor: {vendor}",
            "    category: software",
            f"    function: {function}",
            f'    version: "{version}"',
            f"    since: {rng.randrange(1995, 2025)}",
            f"    status: {status}",
            f"    rating: {rating}",
            f"    review: {m['name']} uses it for {function.replace('-', ' ')}; "
            "it does the job, although reporting and integration needed work from staff.",
            f"    contact: {{name: Staff {rng.randrange(1000)}, role: IT lead, email: it@{m['id']}.example}}",
        ]
    lines += ["---", f"Generated profile of {m['name']}.", ""]
    return "\n".join(lines)


def write(out, per, seed, bump):
    funcs = functions()
    with open(REPO / "schema/municipalities.csv") as f:
        registry = list(csv.DictReader(f))
    for m in registry:
        rng = random.Random(f"{seed}:{m['id']}")
        (out / "infobase" / f"{m['id']}.md").write_text(profile(m, rng, funcs, per, bump))
    return len(registry), len(funcs)


def git(out, *args):
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
        cwd=out,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--per", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(REPO / "mkn.toml", out)
    shutil.copytree(REPO / "schema", out / "schema")
    shutil.copytree(REPO / "practices", out / "practices")
    (out / "infobase").mkdir()
    n, f = write(out, args.per, args.seed, bump=False)
    git(out, "init", "-q")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", "Generated profiles")
    write(out, args.per, args.seed, bump=True)
    git(out, "commit", "-q", "-am", "Ratings and versions move")
    print(f"{n} profiles x {min(args.per, f)} technologies in {out}")


if __name__ == "__main__":
    main()
