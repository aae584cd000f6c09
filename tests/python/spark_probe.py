"""Reads a folder of Parquet tables with Spark (local[2]), as a cluster job would.

Usage: python spark_probe.py DIR COLLECTION
Prints one JSON object: {"documents": rows, "per_area": {area: documents of
COLLECTION}}.
"""

import json
import sys

from pyspark.sql import SparkSession

folder, collection = sys.argv[1:3]
spark = (SparkSession.builder.master("local[2]").appName("mkn-probe")
         .config("spark.ui.enabled", "false")
         .config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.driver.host", "127.0.0.1")
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
spark.read.parquet(f"{folder}/documents.parquet").createOrReplaceTempView("documents")
spark.read.parquet(f"{folder}/document_areas.parquet").createOrReplaceTempView("document_areas")
documents = spark.sql("SELECT count(*) AS n FROM documents").collect()[0]["n"]
per_area = {
    row["area"]: row["n"]
    for row in spark.sql("""
        SELECT a.area_id AS area, count(DISTINCT d.id) AS n
        FROM documents d JOIN document_areas a ON a.document_id = d.id
        WHERE d.collection = :collection
        GROUP BY a.area_id
    """, args={"collection": collection}).collect()
}
spark.stop()
print(json.dumps({"documents": documents, "per_area": per_area}))
