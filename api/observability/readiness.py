"""Is this process ready for traffic: the database answers and its schema is
the one this code expects (migrations at head)."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from api import db


def head_revisions() -> set[str]:
    return set(ScriptDirectory(str(db.MIGRATIONS_DIR)).get_heads())


def current_revisions(engine: Engine) -> set[str] | None:
    """The revisions the database is at; None when it cannot be reached."""
    try:
        with engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())
    except Exception:  # any driver error means "not reachable" for a probe
        return None
