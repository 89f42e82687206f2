"""Datasette side by side: the same SQLite file served read-only (immutable) by
datasette, equivalent SQL for three of the bench's queries, interleaved with
the Repères API in rounds so both see the same load from the rest of the
machine. Not a test: it prints and stores what it measured.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from api.services.places.geo import EARTH_RADIUS_M, bounding_box
from api.services.search.text import fts5_query, terms
from bench.load import HOST, _die_with_parent, _stop, free_port, hammer, percentiles

# The three queries of the comparison (their params are in QUERIES).
COMPARED = ("text only", "text+near", "category+QPV")
PAGE = 20


def _haversine_sql(lat: float, lon: float) -> str:
    """geo.haversine_m written out in SQL, as a datasette user would."""
    k = math.pi / 180
    return (
        f"2 * {EARTH_RADIUS_M} * asin(sqrt("
        f"sin((p.lat - {lat}) * {k / 2}) * sin((p.lat - {lat}) * {k / 2}) + "
        f"{math.cos(lat * k)} * cos(p.lat * {k}) * "
        f"sin((p.lon - {lon}) * {k / 2}) * sin((p.lon - {lon}) * {k / 2})))"
    )


def equivalent_sql(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Hand-written SQL over the base tables and the FTS index giving the same
    page and count as the API for these params (listed services only)."""
    listed = (
        "s.status = 'published' AND s.deleted_at IS NULL AND s.visibility = 'public'"
    )
    if "lat" in params:
        lat, lon, radius = params["lat"], params["lon"], params["radius_km"] * 1000
        box = bounding_box(lat, lon, radius)
        sql = f"""
        WITH m AS MATERIALIZED (
                   SELECT d.service_id, bm25(search_fts, 10.0, 4.0, 1.0) AS r
                   FROM search_fts JOIN search_document d ON d.rowid = search_fts.rowid
                   WHERE search_fts MATCH :fts),
        n AS MATERIALIZED (SELECT pe.service_id, min({_haversine_sql(lat, lon)}) AS dist
              FROM place p JOIN permanence pe ON pe.place_id = p.id
              WHERE p.lat BETWEEN :s AND :n AND p.lon BETWEEN :w AND :e
                AND p.confidential = 0 AND p.deleted_at IS NULL
                AND pe.deleted_at IS NULL
              GROUP BY pe.service_id HAVING dist <= :radius)
        SELECT s.id, s.name, n.dist, count(*) OVER () AS total
        FROM m JOIN n ON n.service_id = m.service_id
        JOIN service s ON s.id = m.service_id
        WHERE {listed}
        ORDER BY m.r, n.dist, s.id LIMIT {PAGE}"""
        values = {
            "fts": fts5_query(terms(params["q"])),
            "s": box.min_lat,
            "n": box.max_lat,
            "w": box.min_lon,
            "e": box.max_lon,
            "radius": radius,
        }
        return sql, values
    if "q" in params:
        # bm25 only works next to its MATCH: ranked in a materialised CTE.
        sql = f"""
        WITH m AS MATERIALIZED (
            SELECT rowid, bm25(search_fts, 10.0, 4.0, 1.0) AS r
            FROM search_fts WHERE search_fts MATCH :fts)
        SELECT s.id, s.name, count(*) OVER () AS total
        FROM m JOIN search_document d ON d.rowid = m.rowid
        JOIN service s ON s.id = d.service_id
        WHERE {listed}
        ORDER BY m.r, s.id LIMIT {PAGE}"""
        return sql, {"fts": fts5_query(terms(params["q"]))}
    sql = f"""
    SELECT s.id, s.name, count(*) OVER () AS total FROM service s
    WHERE {listed}
      AND s.id IN (SELECT e.service_id FROM search_facet f
                   JOIN search_entry e ON e.id = f.entry_id
                   WHERE f.facet = 'category' AND f.value = :category)
      AND s.id IN (SELECT e.service_id FROM search_facet f
                   JOIN search_entry e ON e.id = f.entry_id
                   WHERE f.facet = 'qpv' AND f.value = :qpv)
    ORDER BY s.name, s.id LIMIT {PAGE}"""
    return sql, {"category": params["category"], "qpv": params["qpv"]}


@contextmanager
def datasette(db_file: Path, log: Path) -> Iterator[str]:
    """``datasette serve --immutable`` on 127.0.0.1 (one process, as uvicorn)."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("datasette")),
        "serve",
        "--immutable",
        str(db_file),
        "--host",
        HOST,
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "30000",
        "--setting",
        "default_cache_ttl",
        "0",
    ]
    output = log.open("ab")
    process = subprocess.Popen(
        command,
        stdout=output,
        stderr=subprocess.STDOUT,
        env=dict(os.environ),
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"datasette exited with {process.returncode}")
            try:
                if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("datasette not ready after 90 s")
            time.sleep(0.2)
        yield base
    finally:
        _stop(process)
        output.close()


def datasette_url(base: str, db_file: Path, params: dict[str, Any]) -> str:
    sql, values = equivalent_sql(params)
    query = {"sql": " ".join(sql.split()), "_shape": "array", **values}
    return f"{base}/{db_file.stem}.json?{urlencode(query)}"


def side_by_side(
    api_base: str,
    db_file: Path,
    queries: dict[str, dict[str, Any]],
    load: dict[str, Any],
    rounds: int,
    log: Path,
) -> list[dict[str, Any]]:
    """Each query ``rounds`` times for each side, alternating, then pooled."""
    rows = []
    with datasette(db_file, log) as base:
        for name in COMPARED:
            params = queries[name]
            targets = {
                "reperes": f"{api_base}/api/v1/services?{urlencode(params)}",
                "datasette": datasette_url(base, db_file, params),
            }
            check = httpx.get(targets["datasette"], timeout=60)
            if check.status_code != 200:
                rows.append({"query": name, "error": check.text[:300]})
                continue
            pooled: dict[str, dict[str, Any]] = {
                side: {"samples": [], "count": 0, "seconds": 0.0, "errors": 0}
                for side in targets
            }
            per_round = {**load, "requests": max(2, load["requests"] // rounds)}
            for _ in range(rounds):
                for side, url in targets.items():
                    measure = hammer(url, **per_round, keep_samples=True)
                    into = pooled[side]
                    into["samples"] += measure.samples
                    into["count"] += measure.count
                    into["seconds"] += measure.seconds
                    into["errors"] += measure.errors
            row: dict[str, Any] = {"query": name}
            for side, into in pooled.items():
                p50, p95, p99 = percentiles(into["samples"])
                row[side] = {
                    "p50": p50,
                    "p95": p95,
                    "p99": p99,
                    "per_second": into["count"] / into["seconds"]
                    if into["seconds"]
                    else 0.0,
                    "errors": into["errors"],
                    "count": into["count"],
                }
            ours, theirs = row["reperes"]["per_second"], row["datasette"]["per_second"]
            row["throughput_ratio"] = ours / theirs if theirs else None
            row["datasette_total"] = (check.json() or [{}])[0].get("total", 0)
            rows.append(row)
    return rows
