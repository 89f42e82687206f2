"""Import throughput: N data·inclusion services (default 100,000) read from
generated files and imported into a fresh database, then imported again
(nothing changes: every row compared, none written). Not a test: it prints
what this machine did.

    .venv/bin/python -m bench.imports --services 100000
    .venv/bin/python -m bench.imports --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Target (issue 15): 100,000 services in under 60 s on SQLite on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from api import db
from api.services.imports import files
from api.services.imports.runner import Options
from api.services.listings.revisions import Actor
from api.vocabulary import PUBLICS, SERVICE_TYPES, THEMES

HOURS = [
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "We[2,4] 14:00-17:00; PH off",
    "Tu,Th 09:00-12:30",
    "Mo 14:00-16:00",
    "Sa 10:00-12:00",
]
SCHEMA = "bench_import"
TOWNS = [
    ("Tours", "37000", "37261", 47.39, 0.69),
    ("Nantes", "44000", "44109", 47.22, -1.55),
]


def generate(folder: Path, services: int, seed: int) -> None:
    rng = random.Random(seed)
    themes, publics = list(THEMES), [p for p in PUBLICS if p != "tous-publics"]
    structures = []
    for n in range(max(1, services // 10)):
        town, postcode, insee, lat, lon = rng.choice(TOWNS)
        structures.append({
            "source": "bench", "id": f"bench--s{n}", "nom": f"Structure {n}",
            "date_maj": "2026-10-01", "description": f"Structure numéro {n} du banc.",
            "adresse": f"{n} rue du Banc", "code_postal": postcode, "commune": town,
            "code_insee": insee, "latitude": round(lat + rng.gauss(0, 0.03), 5),
            "longitude": round(lon + rng.gauss(0, 0.03), 5),
        })  # fmt: skip
    rows = []
    for n in range(services):
        parent = structures[rng.randrange(len(structures))]
        rows.append({
            "source": "bench", "id": f"bench--{n}", "structure_id": parent["id"],
            "nom": f"Service {n}", "date_maj": "2026-10-01",
            "description": f"Un service du banc d'essai, numéro {n}, pour tous.",
            "type": rng.choice(list(SERVICE_TYPES)),
            "thematiques": rng.sample(themes, rng.randint(1, 3)),
            "publics": rng.sample(publics, rng.randint(1, 2)), "frais": "gratuit",
            "modes_accueil": ["en-presentiel"], "horaires_accueil": rng.choice(HOURS),
            "telephone": "02 47 00 00 00",
        })  # fmt: skip
    (folder / "structures.json").write_text(json.dumps(structures))
    (folder / "services.json").write_text(json.dumps(rows))


def _engine(url: str) -> Engine:
    """The engine ``reperes import`` would use (SQLite: WAL, as served)."""
    if url.startswith("postgresql"):
        path = f"-csearch_path={SCHEMA},public"
        return db.make_engine(url, connect_args={"options": path})
    return db.make_engine(url)


def run_once(url: str, folder: Path) -> tuple[float, files.Summary]:
    engine = _engine(url)
    started, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        summary = files.import_path(
            session, folder, "data-inclusion", None,
            Options(actor=Actor("system", "bench import")),
        )  # fmt: skip
    print(f"  (CPU time of this process: {time.process_time() - cpu:.1f} s)")
    return time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pg-url", help="PostgreSQL instead of a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.services, args.seed)
        if args.pg_url:
            # A schema of its own: the database is shared with the test runs.
            url = args.pg_url
            with create_engine(url).begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
                connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
            engine = _engine(url)
        else:
            url = f"sqlite:///{folder / 'bench.db'}"
            engine = _engine(url)
        db.upgrade(engine, "head")
        for attempt in ("first import", "same file again"):
            seconds, summary = run_once(url, folder)
            print(
                f"{attempt}: {seconds:.1f} s — created {summary.created}, "
                f"updated {summary.updated}, unchanged {summary.unchanged}, "
                f"rejected {len(summary.rejected)} "
                f"({args.services / seconds:,.0f} services/s)"
            )


if __name__ == "__main__":
    main()
