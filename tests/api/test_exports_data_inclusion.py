"""data·inclusion v1 exports: every row valid against the shipped schema,
only what residents may see, licence in every file, streamed in batches."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker
from typer.testing import CliRunner

from api.cli import app as cli
from api.services.exports import data_inclusion, queries
from api.settings import get_settings
from tests.api.export_territory import (
    SECRET_ADDRESS,
    SECRET_POSITION,
    ExportTerritory,
)

SCHEMAS = Path(__file__).resolve().parents[2] / "data/reference/schemas/data-inclusion"
VALIDATORS = {
    kind: Draft202012Validator(
        json.loads((SCHEMAS / f"{name}.json").read_text()),
        format_checker=FormatChecker(),
    )
    for kind, name in (("structures", "structure"), ("services", "service"))
}


def assert_valid(kind: str, row: dict[str, Any]) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in VALIDATORS[kind].iter_errors(row)]
    assert errors == [], row["id"]


def exported_json(client: TestClient, kind: str) -> dict[str, Any]:
    response = client.get(f"/exports/data-inclusion/{kind}.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert 'rel="license"' in response.headers["link"]
    return response.json()


def test_every_service_row_validates_and_only_public_listings_leave(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    t = export_territory
    body = exported_json(client, "services")
    for row in body["items"]:
        assert_valid("services", row)
    ids = {row["id"] for row in body["items"]}
    shown = [t.base.grocery, t.base.health, t.base.cv_workshop, t.shelter]
    shown += [t.biweekly, t.seasonal]
    assert ids == {f"reperes--{s.id}" for s in shown}
    grocery = next(
        r for r in body["items"] if r["id"] == f"reperes--{t.base.grocery.id}"
    )
    assert grocery["thematiques"] == ["equipement-et-alimentation--alimentation"]
    assert grocery["horaires_accueil"] == "We[2,4] 14:00-17:00; PH off"
    assert grocery["modes_accueil"] == ["en-presentiel"]
    assert grocery["frais"] == "gratuit"
    phone = next(
        r for r in body["items"] if r["id"] == f"reperes--{t.base.cv_workshop.id}"
    )
    assert phone["modes_accueil"] == ["a-distance"]
    assert phone["adresse"] is None and phone["latitude"] is None


def test_every_structure_row_validates(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    body = exported_json(client, "structures")
    assert body["licence"] == "Licence Ouverte / Open Licence 2.0 (Etalab)"
    assert "GIP de l'inclusion" in body["schema"]
    for row in body["items"]:
        assert_valid("structures", row)
    refuge = next(r for r in body["items"] if r["nom"] == "Refuge des femmes")
    assert refuge["siret"] == "12345678901234"
    assert refuge["site_web"] == "https://refuge.example.org"
    # Its first place by name is the open day centre, with its address.
    assert refuge["adresse"] == "3 place de la Liberté"
    assert len(body["items"]) == 3


def test_confidential_place_keeps_its_town_but_not_where_it_is(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    for kind in ("structures", "services"):
        for extension in ("json", "csv"):
            text = client.get(f"/exports/data-inclusion/{kind}.{extension}").text
            assert SECRET_ADDRESS not in text
            assert str(SECRET_POSITION[0]) not in text
            assert "Ligne réservée aux professionnels" not in text
            assert "Cours de français" not in text  # draft and deleted
    rows = exported_json(client, "services")["items"]
    shelter = next(r for r in rows if r["nom"] == "Hébergement d'urgence")
    # The commune only: an INSEE or postal code can name an arrondissement.
    assert shelter["commune"] == "Tours" and shelter["code_insee"] is None
    assert shelter["code_postal"] is None
    assert shelter["adresse"] is shelter["latitude"] is shelter["longitude"] is None


def test_csv_has_the_same_rows_as_json_in_schema_columns(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    for kind in ("structures", "services"):
        response = client.get(f"/exports/data-inclusion/{kind}.csv")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "licence-ouverte" in response.headers["link"]
        assert f'filename="{kind}.csv"' in response.headers["content-disposition"]
        reader = csv.DictReader(io.StringIO(response.text))
        assert tuple(reader.fieldnames or ()) == data_inclusion.COLUMNS[kind]
        rows = list(reader)
        expected = exported_json(client, kind)["items"]
        assert [r["id"] for r in rows] == [r["id"] for r in expected]
        for row, original in zip(rows, expected, strict=True):
            assert row["nom"] == original["nom"]
            if kind == "services" and original["thematiques"]:
                assert row["thematiques"].split(",") == original["thematiques"]


def test_a_formula_typed_by_a_partner_is_not_run_by_a_spreadsheet(
    client: TestClient, export_territory: ExportTerritory, session: Any
) -> None:
    service = session.get(type(export_territory.seasonal), export_territory.seasonal.id)
    from api.services.listings.revisions import SYSTEM, save

    service.name = '=HYPERLINK("http://evil.example","x")'
    save(session, service, SYSTEM)
    session.commit()
    text = client.get("/exports/data-inclusion/services.csv").text
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    assert "+33" not in text  # phones stay as typed
    assert "02 47 99 99 99" in text


def test_rows_are_read_in_batches_each_exactly_once(
    client: TestClient,
    export_territory: ExportTerritory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    everything = exported_json(client, "services")["items"]
    monkeypatch.setattr(queries, "BATCH", 2)
    batched = client.get("/exports/data-inclusion/services.csv")
    ids = [row["id"] for row in csv.DictReader(io.StringIO(batched.text))]
    assert sorted(ids) == sorted(r["id"] for r in everything)
    assert len(set(ids)) == len(ids) == 6


def test_the_licence_is_a_setting(
    client: TestClient,
    export_territory: ExportTerritory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPERES_EXPORT_LICENCE", "ODbL 1.0")
    monkeypatch.setenv(
        "REPERES_EXPORT_LICENCE_URL", "https://opendatacommons.org/licenses/odbl/"
    )
    get_settings.cache_clear()
    try:
        response = client.get("/exports/data-inclusion/structures.json")
        assert response.json()["licence"] == "ODbL 1.0"
        assert "opendatacommons.org" in response.headers["link"]
    finally:
        get_settings.cache_clear()


def test_an_unknown_file_is_a_422_naming_it(client: TestClient) -> None:
    response = client.get("/exports/data-inclusion/lieux.json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "kind"]


def test_an_empty_directory_gives_valid_empty_files(client: TestClient) -> None:
    assert exported_json(client, "services")["items"] == []
    text = client.get("/exports/data-inclusion/structures.csv").text
    assert text.strip() == ",".join(data_inclusion.COLUMNS["structures"])


def test_the_command_writes_the_four_files_and_the_licence(
    use_database: str, export_territory: ExportTerritory, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["export", "--format", "data-inclusion", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "3 structure(s), 6 service(s)" in result.output
    for kind in ("structures", "services"):
        body = json.loads((target / f"{kind}.json").read_text())
        assert body["licence_url"].startswith("https://www.etalab.gouv.fr/")
        for row in body["items"]:
            assert_valid(kind, row)
        with (target / f"{kind}.csv").open(newline="") as handle:
            assert len(list(csv.DictReader(handle))) == len(body["items"])
    assert "Licence Ouverte" in (target / "LICENCE.txt").read_text()


def test_the_command_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "xml", str(tmp_path)])
    assert result.exit_code == 2
