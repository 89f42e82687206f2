"""Engine, sessions and migrations: the one place that knows which database we use."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, create_engine

# Imported for their write hooks, so that every writer (app, CLI, loaders,
# tests) computes QPVs, keeps the search index in step and marks translations
# of a changed French text to review (and end a deleted place's permanences).
from api.services.search import index as _search_index  # noqa: F401
from api.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the web server read while an import writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Safe with WAL (a crash loses at most the last commits, never corrupts).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # The search reads the same few narrow tables and indexes on every request:
    # 64 MB of page cache (SQLite's default is 2 MB) and the file mapped into
    # memory (reads without a copy through the page cache) keep them hot.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            db_file = Path(url.removeprefix("sqlite:///"))
            db_file.parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


def get_session() -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session


def is_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not reachable" for a health check
        return False
    return True


# PostgreSQL columns and indexes of migrations 0002, 0005 and 0016.
_BY_HAND = (
    "tsv",
    "ix_search_document_tsv",
    "title_tsv",
    "ix_search_document_title_tsv",
    "ix_search_point_gist",
)


def managed_by_models(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave out of autogenerate what migrations create by hand: the FTS5 table
    with its shadow tables and the R*Tree (SQLite), the tsvector columns, their
    GIN indexes and the GiST index (PostgreSQL)."""
    if type_ == "table" and name and name.startswith(("search_fts", "search_point_")):
        return False
    return not (type_ in ("column", "index") and name in _BY_HAND)


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
