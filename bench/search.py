"""Search benchmark: a synthetic territory, a real uvicorn server, concurrent clients.

    python -m bench.search --backend both --services 100000

Prints a table per back-end and writes JSON to bench/results/. Not a test: it
reports what it measured on this machine, whatever that is.
"""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, text
from sqlmodel import Session, select

from api import db
from api.models import Service
from api.services.search.engine import plan
from api.services.search.filters import SearchFilters
from bench.generate import generate
from bench.load import hammer, server, time_calls

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
QUERIES: dict[str, dict[str, Any]] = {
    "text only": {"q": "aide alimentation"},
    "text+near": {"q": "aide", "lat": 47.39, "lon": 0.69, "radius_km": 3},
    "category+QPV": {"category": "sante", "qpv": "QN03709M"},
    "open_now+near": {"open_now": "true", "lat": 47.22, "lon": -1.55, "radius_km": 2},
    "filters combined": {
        "category": "numerique",
        "language": "ar",
        "free": "true",
        "no_appointment": "true",
        "commune": "37261",
    },
    "page 50": {"q": "accompagnement", "page": 50, "size": 20},
}
console = Console(width=140)
app = typer.Typer(add_completion=False)


def database(backend: str, services: int) -> str:
    if backend == "sqlite":
        (HERE / "var").mkdir(exist_ok=True)
        return f"sqlite:///{HERE / 'var' / f'bench-{services}.db'}"
    return f"{PG_URL}?options=-csearch_path%3Dbench_{services},public"


def prepare(backend: str, services: int, regenerate: bool) -> dict[str, Any]:
    url = database(backend, services)
    if backend == "postgres":
        admin = db.make_engine(PG_URL)
        with admin.begin() as connection:
            if regenerate:
                connection.execute(
                    text(f"DROP SCHEMA IF EXISTS bench_{services} CASCADE")
                )
            connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS bench_{services}"))
        admin.dispose()
    elif regenerate:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        existing = session.exec(select(func.count()).select_from(Service)).one()
    sizes: dict[str, Any] = {"services": existing, "reused": True}
    if existing != services:
        console.print(f"[bold]Generating {services:,} services on {backend}…")
        sizes = generate(engine, services, console) | {"reused": False}
    engine.dispose()
    return {"url": url, **sizes}


def raw_sql(url: str, params: dict[str, Any], repeat: int) -> tuple[float, float]:
    """The engine's own SQL for the query, run in-process (count + page when
    SQL decides everything, else every candidate row)."""
    engine = db.make_engine(url)
    lists = {"category", "qpv", "language", "commune", "public"}
    filters = SearchFilters.model_validate(
        {k: [v] if k in lists else v for k, v in params.items()}
    )
    now = datetime.now(UTC)
    with Session(engine) as session:
        ready = plan(session, filters, now)
        query = ready.query

        def run() -> None:
            if ready.box is None and ready.moment is None:
                session.exec(select(func.count()).select_from(query.subquery())).one()
                offset = (filters.page - 1) * filters.size
                session.exec(query.limit(filters.size).offset(offset)).all()
            else:
                session.exec(query).all()

        result = time_calls(run, repeat)
    engine.dispose()
    return result


def page_weights(base: str) -> dict[str, int]:
    """Bytes on the wire (gzip as the browser asks) for the budgets of issue 5."""
    with httpx.Client(base_url=base, headers={"accept-encoding": "gzip"}) as client:

        def size(path: str) -> int:
            response = client.get(path)
            response.read()
            return int(response.num_bytes_downloaded)

        results_html = size("/fr/services?q=aide&size=20")
        raw_html = len(
            client.get(
                "/fr/services?q=aide&size=20", headers={"accept-encoding": "identity"}
            ).content
        )
        assets = [
            "/static/css/site.css",
            "/static/vendor/leaflet/leaflet.css",
            "/static/vendor/markercluster/MarkerCluster.css",
            "/static/vendor/markercluster/MarkerCluster.Default.css",
            "/static/vendor/leaflet/leaflet.js",
            "/static/vendor/markercluster/leaflet.markercluster.js",
            "/fr/map.js",
            "/static/js/map.js",
            "/static/js/enhance.js",
        ]
        map_total = results_html + sum(size(a) for a in assets)
        geojson = size("/api/v1/services.geojson?q=aide")
    return {
        "results_html_bytes_uncompressed": raw_html,
        "results_html_bytes_gzip": results_html,
        "map_page_bytes_gzip_before_markers": map_total,
        "markers_geojson_bytes_gzip": geojson,
    }


def run_backend(
    backend: str,
    services: int,
    requests: int,
    concurrency: int,
    regenerate: bool,
    workers: int,
) -> dict[str, Any]:
    setup = prepare(backend, services, regenerate)
    rows = []
    with server("bench.bare_app:app", {}, workers) as bare_base:
        bare = hammer(bare_base + "/bare", requests, concurrency)
    env = {"REPERES_DATABASE_URL": setup["url"], "REPERES_TILE_URL": ""}
    env.pop("DATABASE_URL", None)
    os.environ.pop("DATABASE_URL", None)
    with server("api.main:app", env, workers) as base:
        for name, params in QUERIES.items():
            url = f"{base}/api/v1/services?{urlencode(params)}"
            measure = hammer(url, requests, concurrency, warmup=3)
            sql_p50, sql_p95 = raw_sql(setup["url"], params, repeat=10)
            rows.append(
                {
                    "query": name,
                    "api_p50_ms": measure.p50,
                    "api_p95_ms": measure.p95,
                    "api_p99_ms": measure.p99,
                    "req_per_s": measure.per_second,
                    "errors": measure.errors,
                    "requests": measure.count,
                    "sql_p50_ms": sql_p50,
                    "sql_p95_ms": sql_p95,
                    "p95_ratio": measure.p95 / sql_p95 if sql_p95 else None,
                }
            )
        weights = page_weights(base)
    report = {
        "backend": backend,
        "dataset": setup,
        "concurrency": concurrency,
        "server_workers": workers,
        "bare": bare.__dict__,
        "queries": rows,
        "page_weights": weights,
    }
    show(report)
    return report


def show(report: dict[str, Any]) -> None:
    table = Table(
        title=f"{report['backend']} — {report['dataset']['services']:,} services, "
        f"{report['concurrency']} clients, {report['server_workers']} uvicorn workers"
    )
    for column in (
        "query",
        "API p50",
        "p95",
        "p99",
        "req/s",
        "SQL p50",
        "SQL p95",
        "API/SQL p95",
        "errors",
    ):
        table.add_column(column, justify="right")
    for row in report["queries"]:
        table.add_row(
            row["query"],
            f"{row['api_p50_ms']:.1f}",
            f"{row['api_p95_ms']:.1f}",
            f"{row['api_p99_ms']:.1f}",
            f"{row['req_per_s']:.0f}",
            f"{row['sql_p50_ms']:.1f}",
            f"{row['sql_p95_ms']:.1f}",
            f"{row['p95_ratio']:.1f}×" if row["p95_ratio"] else "-",
            str(row["errors"]),
        )
    bare = report["bare"]
    table.add_row(
        "bare FastAPI",
        f"{bare['p50']:.1f}",
        f"{bare['p95']:.1f}",
        f"{bare['p99']:.1f}",
        f"{bare['per_second']:.0f}",
        "-",
        "-",
        "-",
        str(bare["errors"]),
    )
    console.print(table)
    console.print(report["page_weights"])


@app.command()
def main(
    backend: Annotated[str, typer.Option(help="sqlite, postgres or both")] = "both",
    services: Annotated[int, typer.Option(min=100)] = 100_000,
    requests: Annotated[int, typer.Option(min=20, max=5000)] = 200,
    concurrency: Annotated[int, typer.Option(min=1, max=16)] = 4,
    regenerate: Annotated[bool, typer.Option()] = False,
    workers: Annotated[int, typer.Option(min=1, max=8, help="uvicorn workers")] = 2,
) -> None:
    backends = ["sqlite", "postgres"] if backend == "both" else [backend]
    RESULTS.mkdir(exist_ok=True)
    for name in backends:
        report = run_backend(name, services, requests, concurrency, regenerate, workers)
        report["machine"] = {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "when": datetime.now(UTC).isoformat(),
        }
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = RESULTS / f"search-{name}-{services}-{stamp}.json"
        path.write_text(json.dumps(report, indent=1))
        console.print(f"written {path}")


if __name__ == "__main__":
    app()
