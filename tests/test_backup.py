"""`reperes backup` then `reperes restore` gives back exactly the same
database: every table's row count and checksum, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, select
from typer.testing import CliRunner

from api import db
from api.cli import app
from api.models import Service
from tests.territory import build_territory

runner = CliRunner(env={"COLUMNS": "200"})


def snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows, in a fixed order."""
    figures = {}
    with engine.connect() as connection:
        for table in sorted(inspect(connection).get_table_names()):
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
            lines = sorted(repr(tuple(row)) for row in rows)
            digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
            figures[table] = (len(rows), digest)
    return figures


@pytest.fixture
def directory(use_database: str) -> Engine:
    engine = db.get_engine()
    db.upgrade(engine)
    with Session(engine) as session:
        build_territory(session)
        session.commit()
    return engine


def test_round_trip_gives_back_every_table(directory: Engine, tmp_path: Path) -> None:
    before = snapshot(directory)
    assert before["service"][0] > 0
    assert before["qpv"][0] > 0
    backup_file = tmp_path / "nightly" / "reperes.backup"

    result = runner.invoke(app, ["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.stat().st_size > 0

    # What happens between a backup and a restore: rows changed and deleted.
    with Session(directory) as session:
        service = session.exec(select(Service)).first()
        assert service is not None
        service.name = "Nom changé après la sauvegarde"
        session.commit()
    with directory.begin() as connection:
        connection.execute(text("DELETE FROM synonym"))
    assert snapshot(directory) != before

    result = runner.invoke(app, ["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert snapshot(directory) == before
    # The restored database is a working one: migrations at head, writable.
    assert db.table_names(directory) >= set(before)
    with Session(directory) as session:
        service = session.exec(select(Service)).first()
        assert service is not None
        service.name = "Écrit après la restauration"
        session.commit()


def test_restore_asks_first_and_a_no_changes_nothing(
    directory: Engine, tmp_path: Path
) -> None:
    backup_file = tmp_path / "reperes.backup"
    assert runner.invoke(app, ["backup", str(backup_file)]).exit_code == 0
    with directory.begin() as connection:
        connection.execute(text("DELETE FROM synonym"))
    after_delete = snapshot(directory)
    result = runner.invoke(app, ["restore", str(backup_file)], input="n\n")
    assert result.exit_code == 1
    assert snapshot(directory) == after_delete


@pytest.mark.parametrize(
    "content", [b"", b"not a backup at all", b"SQLite format 3\x00" + b"\x00" * 200]
)
def test_a_file_that_is_not_a_backup_is_refused(
    directory: Engine, tmp_path: Path, content: bytes
) -> None:
    before = snapshot(directory)
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(content)
    result = runner.invoke(app, ["restore", str(bogus), "--yes"])
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert snapshot(directory) == before


def test_a_missing_file_is_refused(directory: Engine, tmp_path: Path) -> None:
    result = runner.invoke(app, ["restore", str(tmp_path / "none.backup"), "--yes"])
    assert result.exit_code == 1
    assert "no backup file at" in result.output


def test_a_failed_backup_leaves_the_previous_one(
    directory: Engine, tmp_path: Path
) -> None:
    backup_file = tmp_path / "reperes.backup"
    assert runner.invoke(app, ["backup", str(backup_file)]).exit_code == 0
    good = backup_file.read_bytes()
    # A directory where the partial file would go: the copy cannot be written.
    (tmp_path / "reperes.backup.partial").mkdir()
    result = runner.invoke(app, ["backup", str(backup_file)])
    assert result.exit_code != 0
    assert backup_file.read_bytes() == good
