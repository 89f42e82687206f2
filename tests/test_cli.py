"""The reperes CLI through typer's runner, on this test's database."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from api import db
from api.cli import app
from api.models import ApiToken, Membership, Role, User
from api.services.accounts.auth import hash_token, verify_password
from tests.factories import make_organization

# Wide enough that rich never wraps an error message in the middle.
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def org_slug(use_database: str) -> str:
    engine = db.get_engine()
    db.upgrade(engine)
    with Session(engine) as session:
        make_organization(session, "centre-social-sanitas")
        session.commit()
    return "centre-social-sanitas"


def test_db_upgrade_then_downgrade_to_base(use_database: str) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "service" in db.table_names(db.get_engine())
    result = runner.invoke(app, ["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert "service" not in db.table_names(db.get_engine())


def test_create_user_gives_a_role_and_a_one_time_password(org_slug: str) -> None:
    result = runner.invoke(
        app, ["create-user", "Awa@Example.org", "--org", org_slug, "--role", "editor"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("(shown once): ")[1].split()[0]
    with Session(db.get_engine()) as session:
        user = session.exec(select(User)).one()
        membership = session.exec(select(Membership)).one()
    assert user.email == "awa@example.org"
    assert membership.role == Role.editor
    assert user.password_hash and verify_password(user.password_hash, password)


def test_create_user_again_changes_the_role_without_a_new_password(
    org_slug: str,
) -> None:
    runner.invoke(app, ["create-user", "a@b.fr", "--org", org_slug, "--role", "reader"])
    result = runner.invoke(
        app, ["create-user", "a@b.fr", "--org", org_slug, "--role", "owner"]
    )
    assert result.exit_code == 0
    assert "shown once" not in result.output
    with Session(db.get_engine()) as session:
        assert session.exec(select(Membership)).one().role == Role.owner


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-user", "not-an-email", "--org", "x", "--role", "owner"], "e-mail"),
        (["create-user", "a@b.fr", "--org", "nope", "--role", "owner"], "nope"),
        (["create-user", "a@b.fr", "--org", "x", "--role", "boss"], "boss"),
        (["create-user", "a@b.fr", "--role", "owner"], "--org"),
        (["create-token", "--org", "nope", "--name", "sync"], "nope"),
        (["create-token", "--org", "x", "--name", " "], "--name"),
        (["create-token", "--org", "x", "--name", "n", "--scope", "admin"], "admin"),
        (["serve", "--port", "99999"], "--port"),
        (["no-such-command"], "no-such-command"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    org_slug: str, args: list[str], message: str
) -> None:
    args = [org_slug if a == "x" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    with Session(db.get_engine()) as session:
        assert session.exec(select(User)).all() == []
        assert session.exec(select(ApiToken)).all() == []


def test_create_token_prints_it_once_and_stores_only_its_hash(org_slug: str) -> None:
    result = runner.invoke(
        app, ["create-token", "--org", org_slug, "--name", "SI", "--scope", "read"]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("rp_")
    with Session(db.get_engine()) as session:
        token = session.exec(select(ApiToken)).one()
    assert token.token_hash == hash_token(secret)
    assert secret not in token.token_hash and token.scopes == ["read"]
    assert secret.startswith(token.prefix)


def test_commands_say_so_when_the_database_is_unreachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("REPERES_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:9/x")
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    try:
        result = runner.invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
        db.get_engine.cache_clear()
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output


def test_add_synonym_teaches_search_a_word(org_slug: str) -> None:
    from api.models import Synonym

    result = runner.invoke(
        app, ["add-synonym", "Bébé", "--category", "famille--garde-denfants"]
    )
    assert result.exit_code == 0, result.output
    with Session(db.get_engine()) as session:
        row = session.exec(select(Synonym).where(Synonym.term == "bebe")).one()
    assert row.categories == ["famille--garde-denfants"]
    bad = runner.invoke(app, ["add-synonym", "bebe", "--category", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output


def test_create_coordinator_with_moderation(org_slug: str) -> None:
    from api.models import CoordinatorScope

    result = runner.invoke(
        app,
        ["create-coordinator", "Coord@Tours.fr", "--territory", "Sanitas"]
        + ["--qpv", "QN03709M", "--moderation"],
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("(shown once): ")[1].split()[0]
    again = runner.invoke(
        app,
        ["create-coordinator", "coord@tours.fr", "--territory", "Tours nord"]
        + ["--commune", "37261"],
    )
    assert again.exit_code == 0 and "shown once" not in again.output
    with Session(db.get_engine()) as session:
        user = session.exec(select(User)).one()
        scopes = session.exec(select(CoordinatorScope)).all()
    assert user.email == "coord@tours.fr"
    assert user.password_hash and verify_password(user.password_hash, password)
    assert {
        (s.name, tuple(s.qpv_codes), tuple(s.communes), s.moderation) for s in scopes
    } == {
        ("Sanitas", ("QN03709M",), (), True),
        ("Tours nord", (), ("37261",), False),
    }
    missing = runner.invoke(app, ["create-coordinator", "x@y.fr", "--territory", "T"])
    assert missing.exit_code == 2
