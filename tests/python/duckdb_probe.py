"""Reads a folder of Parquet tables with DuckDB, as an analyst would.

Usage: python duckdb_probe.py DIR
Prints one JSON object: {"counts": {table: rows}, "types": {column: type} of
evidence, "joined": [[document_id, measure, change, reported value]]}: each
evidence entry beside the value its municipality reported in the result year.
"""

import json
import pathlib
import sys

import duckdb

folder = pathlib.Path(sys.argv[1])
con = duckdb.connect()
counts = {}
for path in sorted(folder.glob("*.parquet")):
    counts[path.stem] = con.execute(f"SELECT count(*) FROM '{path}'").fetchall()[0][0]
types = {name: kind for name, kind, *_ in con.execute(
    f"DESCRIBE SELECT * FROM '{folder / 'evidence.parquet'}'").fetchall()}
joined = con.execute(f"""
    SELECT e.document_id, e.measure_id, e.change, v.value
    FROM '{folder / 'evidence.parquet'}' e
    JOIN '{folder / 'measure_values.parquet'}' v
      ON v.measure = e.measure_id AND v.municipality = e.municipality AND v.year = e.result_year
    ORDER BY e.document_id, e.position
""").fetchall()
print(json.dumps({"counts": counts, "types": types, "joined": joined}))
