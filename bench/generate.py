"""A reproducible synthetic territory, bulk-inserted with SQLAlchemy Core (not the
per-row save path), then indexed with the app's own ``reindex`` code."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from sqlalchemy import Engine, Table, insert, text
from sqlmodel import Session, SQLModel, select

from api.models import Organization, Permanence, Place, Qpv, Service
from api.services.listings.upsert import ImportReport
from api.services.places.qpv import QpvIndex
from api.services.schedules import hours
from api.services.search import index
from bench import words as w
from bench.territory import Territory, source_tag
from data.loaders.paths import QPV_GEOJSON, SYNONYMS
from data.loaders.qpv import load_qpvs
from data.loaders.synonyms import load_synonyms

INSERT_BATCH = 5_000


def _check_columns(model: type[SQLModel], rows: list[dict[str, Any]]) -> Table:
    """Every column given: the territory's values, else the model's default
    (columns added after the generator was written: imports' fields...)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    missing = set(table.c.keys()) - set(rows[0])
    fields = model.model_fields
    unknown = sorted(name for name in missing if name not in fields)
    if unknown or any(fields[name].is_required() for name in missing):
        raise ValueError(f"{table.name}: no value for {sorted(missing)}")
    for name in missing:
        for row in rows:
            row[name] = fields[name].get_default(call_default_factory=True)
    return table


def _timed(
    timings: dict[str, float], step: str, console: Console
) -> Callable[[], None]:
    started = time.perf_counter()

    def done() -> None:
        timings[step] = round(time.perf_counter() - started, 2)
        console.print(f"  {step}: {timings[step]:.1f} s")

    return done


def build_index(session: Session, batch: int) -> int:
    """The app's own index code: ``reindex_all`` (batches of 500), or its
    ``_reindex_batch`` over bigger batches when ``batch`` says so."""
    if batch <= 500:
        return index.reindex_all(session)
    ids = list(session.exec(select(Service.id)).all())
    for start in range(0, len(ids), batch):
        index._reindex_batch(session, ids[start : start + batch])
    return len(ids)


def generate(
    engine: Engine, services: int, console: Console, seed: int, index_batch: int
) -> dict[str, Any]:
    for raw in w.HOURS:  # an unreadable string would be a bench bug
        hours.parse(raw)
    timings: dict[str, float] = {}
    done = _timed(timings, "qpv+synonyms", console)
    with Session(engine) as session:
        report = ImportReport()
        load_qpvs(session, QPV_GEOJSON, report)
        load_synonyms(session, SYNONYMS, report)
        session.commit()
        contours = dict(session.exec(select(Qpv.code, Qpv.geometry)).all())
    done()
    done = _timed(timings, "rows in memory", console)
    land = Territory(services, seed, QpvIndex(contours))
    orgs = land.organizations()
    org_ids = [o["id"] for o in orgs]
    places = land.places(org_ids)
    service_rows, permanence_rows = [], []
    for i in range(services):
        service = land.service(i, org_ids)
        service_rows.append(service)
        org = i % len(org_ids)
        permanence_rows += [land.permanence(service, org) for _ in range(2)]
    done()
    with Session(engine) as session:
        for model, rows in (
            (Organization, orgs),
            (Place, places),
            (Service, service_rows),
            (Permanence, permanence_rows),
        ):
            table = _check_columns(model, rows)
            done = _timed(timings, f"insert {table.name} ({len(rows):,})", console)
            for start in range(0, len(rows), INSERT_BATCH):
                session.execute(insert(table), rows[start : start + INSERT_BATCH])
            session.commit()
            done()
        # Planner statistics before indexing reads the rows back in batches:
        # without them PostgreSQL (autovacuum may be off) plans each batch's
        # join as scans, 40 s a batch instead of a fraction of a second.
        analyze(engine, timings, console, "before the index")
        done = _timed(timings, f"search index (batch {index_batch})", console)
        indexed = build_index(session, index_batch)
        session.commit()
        done()
    analyze(engine, timings, console)
    return {
        **land.sizes,
        "indexed_services": indexed,
        "seed": seed,
        "generation_seconds": timings,
    }


def analyze(
    engine: Engine, timings: dict[str, float], console: Console, when: str = ""
) -> None:
    """Planner statistics after a bulk load, as a maintained database has them
    (``when`` names the step's timing apart from the final one)."""
    suffix = f" ({when})" if when else ""
    if engine.dialect.name == "sqlite":
        done = _timed(timings, f"ANALYZE{suffix}", console)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    else:
        done = _timed(timings, f"VACUUM ANALYZE{suffix}", console)
        with engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(text("VACUUM ANALYZE"))
    done()


def count_matching(engine: Engine, seed: int) -> dict[str, int]:
    """Rows of this generator (version and seed) already in the database."""
    tag = source_tag(seed)
    with Session(engine) as session:

        def count(table: str, where: str = "") -> int:
            query = text(f"SELECT count(*) FROM {table} {where}")
            return int(session.execute(query, {"tag": tag}).scalar_one())

        return {
            "organizations": count("organization", "WHERE source = :tag"),
            "places": count("place", "WHERE source = :tag"),
            "services": count("service", "WHERE source = :tag"),
            "permanences": count("permanence"),
        }


def refresh_index(engine: Engine, console: Console, batch: int) -> bool:
    """Rebuild the search index of a reused territory when a migration left
    it incomplete (new search tables still empty); True when it did."""
    with Session(engine) as session:
        filled = session.execute(text("SELECT count(*) FROM search_entry")).scalar()
        if filled:
            return False
        timings: dict[str, float] = {}
        done = _timed(timings, "search index (new tables)", console)
        build_index(session, batch)
        session.commit()
        done()
    analyze(engine, timings, console)
    return True
