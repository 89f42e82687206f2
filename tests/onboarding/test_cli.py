"""reperes create-org, and organisations named by slug or id everywhere the
command line asks for one."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from api import db
from api.cli import app
from api.models import ApiToken, Organization, OrganizationRequest, User

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def migrated(use_database: str) -> None:
    db.upgrade(db.get_engine())


def organizations() -> list[Organization]:
    with Session(db.get_engine()) as session:
        return list(session.exec(select(Organization)).all())


def test_create_org_prints_its_slug_and_id(migrated: None) -> None:
    result = runner.invoke(
        app,
        ["create-org", "Association Élan d'Été", "--commune", "37261",
         "--siret", "552 100 554 00013"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (organization,) = organizations()
    assert f"slug: {organization.slug}" in result.output
    assert f"id: {organization.id}" in result.output
    assert organization.slug == "association-elan-d-ete"
    assert organization.siret == "55210055400013"
    with Session(db.get_engine()) as session:
        row = session.exec(select(OrganizationRequest)).one()
    assert row.insee_code == "37261" and row.organization_id == organization.id
    again = runner.invoke(
        app, ["create-org", "Association Élan d'Été", "--commune", "Tours"]
    )
    assert again.exit_code == 0 and "association-elan-d-ete-2" in again.output


def test_create_org_takes_a_chosen_slug_once(migrated: None) -> None:
    ok = runner.invoke(
        app, ["create-org", "جمعية", "--commune", "44109", "--slug", "asso-nantes"]
    )
    assert ok.exit_code == 0 and "slug: asso-nantes" in ok.output
    taken = runner.invoke(
        app, ["create-org", "Autre", "--commune", "44109", "--slug", "asso-nantes"]
    )
    assert taken.exit_code == 2 and "--slug" in taken.output
    arabic = runner.invoke(app, ["create-org", "جمعية", "--commune", "44109"])
    assert arabic.exit_code == 0 and "slug: structure" in arabic.output


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["Asso", "--commune", "99999"], "--commune"),
        (["Asso", "--commune", "37261", "--siret", "55210055400014"], "--siret"),
        (["Asso", "--commune", "37261", "--siret", "5521005540001"], "--siret"),
        (["Asso", "--commune", "37261", "--slug", "Pas Bon!"], "--slug"),
        (["", "--commune", "37261"], "NAME"),
        (["Asso\x00", "--commune", "37261"], "NAME"),
        (["Asso"], "--commune"),
    ],
)
def test_create_org_refuses_bad_arguments_with_exit_code_2(
    migrated: None, arguments: list[str], named: str
) -> None:
    result = runner.invoke(app, ["create-org", *arguments])
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert organizations() == []


def test_an_unknown_organisation_names_create_org(migrated: None) -> None:
    result = runner.invoke(
        app, ["create-user", "a@b.fr", "--org", "new-asso", "--role", "owner"]
    )
    assert result.exit_code == 2
    assert "new-asso" in result.output and "create-org" in result.output


def test_an_organisation_is_named_by_slug_or_id_everywhere(migrated: None) -> None:
    runner.invoke(app, ["create-org", "Asso", "--commune", "37261", "--slug", "asso"])
    (organization,) = organizations()
    by_id = str(organization.id)
    result = runner.invoke(
        app, ["create-user", "a@b.fr", "--org", by_id, "--role", "owner"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["create-token", "--org", by_id, "--name", "sync"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["delete-org", by_id]).exit_code == 0
    assert organizations()[0].deleted_at is not None
    assert runner.invoke(app, ["restore-org", "asso"]).exit_code == 0
    assert organizations()[0].deleted_at is None
    with Session(db.get_engine()) as session:
        assert session.exec(select(ApiToken)).one().organization_id == organization.id
    missing = runner.invoke(app, ["delete-org", "nope"])
    assert missing.exit_code == 2 and "create-org" in missing.output


def test_printed_passwords_are_temporary(migrated: None) -> None:
    runner.invoke(app, ["create-org", "Asso", "--commune", "37261", "--slug", "asso"])
    runner.invoke(app, ["create-user", "a@b.fr", "--org", "asso", "--role", "owner"])
    runner.invoke(app, ["create-coordinator", "c@b.fr", "--territory", "Tours",
                        "--commune", "37261"])  # fmt: skip
    with Session(db.get_engine()) as session:
        users = session.exec(select(User)).all()
    assert [u.must_change_password for u in users] == [True, True]
