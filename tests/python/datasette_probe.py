"""Serves a SQLite file with Datasette on a free loopback port and asks it
what a person would: a full-text search and a facet of the documents table.

Usage: python datasette_probe.py DB METADATA WORD FACET
Prints one JSON object: {"search": [ids], "facet": {value: count}, "title": ...}.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def main():
    db, metadata, word, facet = sys.argv[1:5]
    port = free_port()
    name = db.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", db, "-m", metadata,
         "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("datasette did not start: " + server.stderr.read().decode())
                time.sleep(0.2)
        found = get(f"{base}/{name}/documents.json?_search={word}&_shape=array&_col=id")
        faceted = get(f"{base}/{name}/documents.json?_facet={facet}&_size=0")
        counts = {str(r["value"]): r["count"] for r in faceted["facet_results"][facet]["results"]}
        meta = get(f"{base}/-/metadata.json")
        print(json.dumps({"search": [r["id"] for r in found], "facet": counts,
                          "title": meta.get("title")}))
    finally:
        server.terminate()
        server.wait(timeout=10)


main()
