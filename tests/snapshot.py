"""A database's content, saved once and put back in a fraction of a second:
for a fixture wider than one test whose tests write (the API fuzzing), so
each test still starts from the same rows without paying for a migrated
database and a territory every time.

SQLite: the whole file, through SQLite's online backup API (schema, FTS5 and
R*Tree shadow tables included). PostgreSQL: a copy of every table in a schema
beside the test's, and its sequences' positions; putting back deletes the
rows and copies them in again, parents first (no superuser needed, unlike
disabling the foreign keys), generated columns left to PostgreSQL."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from sqlalchemy import Engine, MetaData, text
from sqlalchemy.engine import Connection

SKIPPED = {"alembic_version"}  # the migrations' state: what a test never changes


def take(engine: Engine) -> Snapshot:
    if engine.dialect.name == "sqlite":
        return _SqliteSnapshot.take(engine)
    return _PostgresSnapshot.take(engine)


class Snapshot:
    def restore(self) -> None:
        raise NotImplementedError

    def drop(self) -> None:
        raise NotImplementedError


@dataclass
class _SqliteSnapshot(Snapshot):
    engine: Engine
    path: str
    copy: sqlite3.Connection

    @classmethod
    def take(cls, engine: Engine) -> _SqliteSnapshot:
        path = str(engine.url.database)
        engine.dispose()  # every commit reached the file (WAL checkpointed)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with sqlite3.connect(path) as live:
            live.backup(copy)
        live.close()
        return cls(engine, path, copy)

    def restore(self) -> None:
        # No pooled connection may keep a page cache of the replaced content.
        self.engine.dispose()
        live = sqlite3.connect(self.path)
        try:
            self.copy.backup(live)
        finally:
            live.close()

    def drop(self) -> None:
        self.copy.close()


@dataclass
class _PostgresSnapshot(Snapshot):
    engine: Engine
    schema: str
    tables: list[str]  # parents before children
    columns: dict[str, str] = field(default_factory=dict)  # written columns
    sequences: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def take(cls, engine: Engine) -> _PostgresSnapshot:
        with engine.begin() as connection:
            live = connection.execute(text("SELECT current_schema()")).scalar_one()
            metadata = MetaData()
            metadata.reflect(connection)
            tables = [t.name for t in metadata.sorted_tables if t.name not in SKIPPED]
            snapshot = cls(engine, f"{live}_snapshot", tables)
            connection.execute(text(f'CREATE SCHEMA "{snapshot.schema}"'))
            for table in tables:
                snapshot.columns[table] = _written_columns(connection, live, table)
                connection.execute(
                    text(
                        f'CREATE TABLE "{snapshot.schema}"."{table}" AS '
                        f'SELECT {snapshot.columns[table]} FROM "{table}"'
                    )
                )
            rows = connection.execute(
                text(
                    "SELECT sequencename, last_value FROM pg_sequences "
                    "WHERE schemaname = :live"
                ),
                {"live": live},
            )
            snapshot.sequences = {name: value for name, value in rows}
        return snapshot

    def restore(self) -> None:
        with self.engine.begin() as connection:
            for table in reversed(self.tables):
                connection.execute(text(f'DELETE FROM "{table}"'))
            for table in self.tables:
                columns = self.columns[table]
                connection.execute(
                    text(
                        f'INSERT INTO "{table}" ({columns}) OVERRIDING SYSTEM VALUE '
                        f'SELECT {columns} FROM "{self.schema}"."{table}"'
                    )
                )
            for name, value in self.sequences.items():
                # A sequence never used goes back to "never used".
                connection.execute(
                    text("SELECT setval(CAST(:name AS regclass), :value, :called)"),
                    {
                        "name": f'"{name}"',
                        "value": value or 1,
                        "called": value is not None,
                    },
                )

    def drop(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))


def _written_columns(connection: Connection, schema: str, table: str) -> str:
    names = connection.execute(
        text(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = :schema AND table_name = :table "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position"
        ),
        {"schema": schema, "table": table},
    ).scalars()
    return ", ".join(f'"{name}"' for name in names)
