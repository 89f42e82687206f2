"""Search benchmark: a synthetic territory, a real uvicorn server, concurrent clients.

    python -m bench.search --backend sqlite|postgres|both --services 100000

Prints a table per back-end and writes JSON to bench/results/. Not a test: it
reports what it measured on this machine, whatever else the machine was doing.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
import typer
from rich.console import Console
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api import db
from api.cli import default_workers
from api.models import SearchFacet
from bench import inproc
from bench.datasette import side_by_side
from bench.generate import count_matching, generate, refresh_index
from bench.load import hammer, server
from bench.map_draw import first_clusters
from bench.pages import page_weights
from bench.report import show, target_missed
from bench.territory import expected_sizes

HERE = Path(__file__).resolve().parent
RESULTS, VAR = HERE / "results", HERE / "var"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = "bench"
QUERIES: dict[str, dict[str, Any]] = {
    "text only": {"q": "aide alimentaire"},
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
console = Console(width=160)
app = typer.Typer(add_completion=False)


def database_url(backend: str, services: int, pg_url: str, timeout_ms: int) -> str:
    """The bench database; ``timeout_ms`` > 0 caps each PostgreSQL statement."""
    if backend == "sqlite":
        return f"sqlite:///{VAR / f'bench-{services}.db'}"
    options = f"-csearch_path%3D{SCHEMA},public"
    if timeout_ms:
        options += f"%20-cstatement_timeout%3D{timeout_ms}"
    return f"{pg_url}{'&' if '?' in pg_url else '?'}options={options}"


def wipe(backend: str, services: int, pg_url: str) -> None:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"bench-{services}.db{suffix}").unlink(missing_ok=True)
        return
    admin = db.make_engine(pg_url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()


def prepare(backend: str, services: int, opts: dict[str, Any]) -> dict[str, Any]:
    """A migrated database holding exactly this territory: reused when its rows
    match (generator version, seed, counts), else rebuilt from nothing."""
    VAR.mkdir(exist_ok=True)
    url = database_url(backend, services, opts["pg_url"], 0)
    expected = expected_sizes(services)
    found: dict[str, int] = {}
    if not opts["regenerate"]:
        engine = db.make_engine(url)
        try:
            found = count_matching(engine, opts["seed"])
        except SQLAlchemyError:
            found = {}  # no such schema, file or tables yet
        engine.dispose()
    if found == expected:
        console.print(f"[bold]{backend}: reusing the generated territory")
        engine = db.make_engine(url)
        db.upgrade(engine)  # a newer schema: its migrations, then its index
        rebuilt = refresh_index(engine, console, opts["index_batch"])
        rekey_entries(engine)
        fill_facets(engine)
        engine.dispose()
        return {**expected, "reused": True, "index_rebuilt": rebuilt}
    console.print(f"[bold]{backend}: generating {services:,} services…")
    wipe(backend, services, opts["pg_url"])
    engine = db.make_engine(url)
    db.upgrade(engine)
    sizes = generate(engine, services, console, opts["seed"], opts["index_batch"])
    engine.dispose()
    return {**sizes, "reused": False}


def fill_facets(engine: Any) -> None:
    """``search_facet`` of a territory indexed before it existed, straight from
    ``service_facet`` (one INSERT … SELECT, not a reindex)."""
    SearchFacet.__table__.create(engine, checkfirst=True)  # type: ignore[attr-defined]
    with engine.begin() as connection:
        if connection.execute(text("SELECT count(*) FROM search_facet")).scalar():
            return
        console.print("[bold]search facets: copied from service_facet")
        connection.execute(
            text(
                "INSERT INTO search_facet (facet, value, entry_id) "
                "SELECT f.facet, f.value, e.id FROM service_facet f "
                "JOIN search_entry e ON e.service_id = f.service_id"
            )
        )


def rekey_entries(engine: Any) -> None:
    """Give the search entries of a territory indexed before entries took
    their document's rowid as id (``tables.store``) that id, in place: seconds,
    where rebuilding the index takes many minutes."""
    check = (
        "SELECT count(*) FROM search_entry e JOIN search_document d "
        "ON d.rowid = e.id AND d.service_id = e.service_id"
    )
    with engine.connect() as connection:
        entries = connection.execute(text("SELECT count(*) FROM search_entry"))
        if connection.execute(text(check)).scalar() == entries.scalar():
            return
    console.print("[bold]search entries: rekeyed on their documents' rowids")
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # Foreign keys are checked per statement outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        else:  # foreign keys are triggers, off for this session (superuser)
            connection.execute(text("SET session_replication_role = replica"))
        for child in ("search_point", "search_slot"):
            connection.execute(text(f"UPDATE {child} SET entry_id = -entry_id"))
        connection.execute(text("UPDATE search_entry SET id = -id"))
        new_id = (
            "(SELECT d.rowid FROM search_document d JOIN search_entry e "
            "ON e.service_id = d.service_id WHERE e.id = {column})"
        )
        for child in ("search_point", "search_slot"):
            value = new_id.format(column=f"{child}.entry_id")
            connection.execute(text(f"UPDATE {child} SET entry_id = {value}"))
        connection.execute(
            text(
                "UPDATE search_entry SET id = (SELECT d.rowid FROM search_document d "
                "WHERE d.service_id = search_entry.service_id)"
            )
        )


def run_backend(backend: str, services: int, opts: dict[str, Any]) -> dict[str, Any]:
    dataset = prepare(backend, services, opts)
    url = database_url(backend, services, opts["pg_url"], opts["statement_timeout_ms"])
    load = {k: opts[k] for k in ("requests", "concurrency", "max_seconds")}
    load["request_timeout"] = opts["request_timeout"]
    workers, log = opts["workers"], VAR / f"server-{backend}.log"
    with server("bench.bare_app:app", {}, workers, log) as bare_base:
        bare = hammer(bare_base + "/bare", **load)
    env = {"REPERES_DATABASE_URL": url, "DATABASE_URL": url}
    engine = db.make_engine(url)
    rows, weights, stamp = [], {}, time.strftime("%Y%m%d-%H%M%S")
    draw: dict[str, Any] = {}
    with ExitStack() as stack:
        base = stack.enter_context(server("api.main:app", env, workers, log))
        for name, params in QUERIES.items():
            console.print(f"  {backend} · {name}…")
            target = f"{base}/api/v1/services?{urlencode(params)}"
            measure = hammer(target, **load)
            total = _total(target, opts["request_timeout"])
            repeat, budget = opts["sql_repeat"], opts["max_seconds"]
            row = {
                "query": name,
                "params": params,
                "total": total,
                "api": measure.as_dict(),
                "sql": inproc.sql_time(engine, params, repeat, budget),
                "search": inproc.search_time(engine, params, repeat, budget),
            }
            if target_missed(row, backend) and opts["profile"]:
                out = (
                    RESULTS / f"profile-{backend}-{name.replace(' ', '_')}-{stamp}.txt"
                )
                if inproc.profile(engine, params, out) is not None:
                    row["profile"] = str(out.relative_to(HERE.parent))
            rows.append(row)
            if measure.timeouts:  # abandoned requests would slow the next query
                stack.close()
                base = stack.enter_context(server("api.main:app", env, workers, log))
        compared: list[dict[str, Any]] = []
        if backend == "sqlite" and opts["datasette"]:
            console.print("  sqlite · side by side with datasette…")
            db_file = VAR / f"bench-{services}.db"
            rounds = opts["datasette_rounds"]
            compared = side_by_side(base, db_file, QUERIES, load, rounds, log)
        if opts["pages"]:
            weights = page_weights(base, opts["request_timeout"])
            draw = first_clusters(base)
    engine.dispose()
    return {
        "backend": backend,
        "stamp": stamp,
        "dataset": dataset,
        "config": {**load, "workers": workers, **_public(opts)},
        "bare": bare.as_dict(),
        "queries": rows,
        "page_weights": weights,
        "datasette": compared,
        "map_draw": draw,
    }


def _total(url: str, timeout: float) -> int | str:
    try:
        response = httpx.get(url, timeout=timeout)
        return int(response.json()["total"])
    except (httpx.HTTPError, ValueError, KeyError) as error:
        return f"error: {error}"


def _public(opts: dict[str, Any]) -> dict[str, Any]:
    keys = ("seed", "sql_repeat", "statement_timeout_ms", "index_batch", "pg_url")
    keys += ("cache", "datasette_rounds")
    return {k: opts[k] for k in keys}


def machine(backend: str, pg_url: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": os.getloadavg(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "sqlite": sqlite3.sqlite_version,
    }
    git = ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"]
    info["commit"] = subprocess.run(git, capture_output=True, text=True).stdout.strip()
    if backend == "postgres":
        engine = db.make_engine(pg_url)
        with engine.connect() as connection:
            info["postgres"] = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    return info


@app.command()
def main(
    backend: Annotated[str, typer.Option(help="sqlite, postgres or both")] = "both",
    services: Annotated[int, typer.Option(min=100)] = 100_000,
    requests: Annotated[int, typer.Option(min=2, max=5000)] = 200,
    concurrency: Annotated[int, typer.Option(min=1, max=16)] = 4,
    workers: Annotated[
        int, typer.Option(min=0, max=8, help="server processes, 0 = one per core")
    ] = 0,
    regenerate: Annotated[bool, typer.Option(help="rebuild the territory")] = False,
    seed: int = 42,
    pg_url: Annotated[str, typer.Option(help="schema 'bench' of it is used")] = PG_URL,
    max_seconds: Annotated[float, typer.Option(help="per query and stage")] = 60.0,
    request_timeout: Annotated[float, typer.Option(help="seconds")] = 30.0,
    statement_timeout_ms: Annotated[
        int, typer.Option(help="PostgreSQL, 0=none")
    ] = 30000,
    sql_repeat: Annotated[int, typer.Option(min=2)] = 20,
    index_batch: Annotated[int, typer.Option(help="500 = reindex_all")] = 500,
    profile: Annotated[
        bool, typer.Option(help="pyinstrument on missed targets")
    ] = True,
    pages: Annotated[bool, typer.Option(help="measure page weights")] = True,
    datasette: Annotated[
        bool, typer.Option(help="SQLite: side by side with datasette")
    ] = True,
    datasette_rounds: Annotated[int, typer.Option(min=1)] = 4,
    cache: Annotated[
        bool, typer.Option(help="keep the result cache on (off: engine work)")
    ] = False,
) -> None:
    workers = workers or default_workers()  # as ``reperes serve`` runs
    opts = dict(locals())  # every option, for run_backend and the JSON
    # Repeated identical requests would all be cache hits: measure the engine.
    os.environ["REPERES_SEARCH_CACHE_SECONDS"] = "30" if cache else "0"
    if backend not in ("sqlite", "postgres", "both"):
        raise typer.BadParameter("sqlite, postgres or both", param_hint="--backend")
    RESULTS.mkdir(exist_ok=True)
    for name in ["sqlite", "postgres"] if backend == "both" else [backend]:
        info = machine(name, pg_url)
        report = run_backend(name, services, opts)
        report["machine"] = info | {"loadavg_after": os.getloadavg()}
        show(report, console)
        path = RESULTS / f"search-{name}-{report['stamp']}.json"
        path.write_text(json.dumps(report, indent=1, default=str))
        console.print(f"written {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    app()
