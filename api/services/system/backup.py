"""``reperes backup`` / ``reperes restore``: a consistent copy of the whole
database while the site runs, and back.

SQLite: the online backup API (a consistent snapshot even while the site
writes, WAL included). PostgreSQL: ``pg_dump``'s custom format, restored by
``pg_restore`` in one transaction (all or nothing).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, make_url, text

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; nothing was changed."""


def backup(engine: Engine, path: Path, pg_bin_dir: str = "") -> None:
    """Write a copy of the database to ``path`` (replaced only once complete)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_copy(_sqlite_file(engine), partial)
        else:
            _pg_dump(engine, partial, pg_bin_dir)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def restore(engine: Engine, path: Path, pg_bin_dir: str = "") -> None:
    """Replace the database's content with the backup at ``path``."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if engine.dialect.name == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a SQLite backup")
        _check_sqlite(path)
        engine.dispose()  # no pooled connection holds the file meanwhile
        _sqlite_copy(path, _sqlite_file(engine))
        engine.dispose()
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{path} is not a pg_dump (custom format) backup")
        _pg_restore(engine, path, pg_bin_dir)


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        with dst:
            src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite backup failed: {error}") from error
    finally:
        src.close()
        dst.close()


def _check_sqlite(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite file: {error}") from error
    finally:
        connection.close()
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")


def _pg_environment(engine: Engine) -> dict[str, str]:
    """libpq's variables for the engine's URL: no password on a command line."""
    url = make_url(engine.url)
    env = dict(os.environ)
    pairs = {
        "PGHOST": url.host,
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGOPTIONS": url.query.get("options"),
    }
    env.update({name: str(value) for name, value in pairs.items() if value})
    return env


def _server(engine: Engine) -> tuple[int, str]:
    """The server's major version and the schema the app's tables live in."""
    with engine.connect() as connection:
        number, schema = connection.execute(
            text("SELECT current_setting('server_version_num')::int, current_schema()")
        ).one()
    return number // 10000, schema


def pg_tool(name: str, server_major: int, pg_bin_dir: str = "") -> str:
    """``pg_dump`` or ``pg_restore``: from the configured directory, else the
    one of the server's major version (pg_dump refuses a newer server), else
    the one on the PATH."""
    candidates = [Path(pg_bin_dir) / name] if pg_bin_dir else []
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"))
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL {server_major} client "
            "or set REPERES_PG_BIN_DIR"
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _pg_dump(engine: Engine, target: Path, pg_bin_dir: str) -> None:
    major, schema = _server(engine)
    command = [
        pg_tool("pg_dump", major, pg_bin_dir),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={target}",
    ]
    # A database of its own: all of it (extensions included). A schema of a
    # shared database (as the tests use): that schema only.
    if schema != "public":
        command.append(f"--schema={schema}")
    _run(command, _pg_environment(engine))


def _pg_restore(engine: Engine, source: Path, pg_bin_dir: str) -> None:
    major, _schema = _server(engine)
    engine.dispose()  # our idle connections would hold locks on the tables
    env = _pg_environment(engine)
    if not engine.url.database:  # without --dbname, pg_restore prints SQL
        raise BackupError("the database URL names no database")
    command = [
        pg_tool("pg_restore", major, pg_bin_dir),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={engine.url.database}",
        str(source),
    ]
    _run(command, env)
