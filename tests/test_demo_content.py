"""The demo directory answers the needs residents ask first, in both cities and
in every content language (issue 12)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from sqlmodel import Session, col, select

from api.models import (
    Permanence,
    Place,
    Revision,
    SearchDocument,
    Service,
    ServiceStatus,
    Translation,
    TranslationStatus,
)
from api.services.content.content_translations import CONTENT_LANGUAGES
from api.services.listings.revisions import SYSTEM, save
from api.services.listings.upsert import ImportReport
from api.services.search import tables
from api.vocabulary import CATEGORIES
from data.demo.generate import build
from data.loaders.demo import TRANSLATED_FIELDS, load_demo_directory
from data.loaders.load_all import load_everything
from data.loaders.paths import DEMO_DIRECTORY

TRANSLATIONS = DEMO_DIRECTORY.parent / "translations"
NEEDS = (
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "equipement-et-alimentation--habillement",
    "famille--garde-denfants",
    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
    "mobilite--preparer-un-permis",
)


def codes_by_city(session: Session) -> dict[str, set[str]]:
    """Category and sub-theme codes of the published services held in each town."""
    rows = session.exec(
        select(Place.commune, Service.categories)
        .join(Permanence, col(Permanence.service_id) == Service.id)
        .join(Place, col(Place.id) == Permanence.place_id)
        .where(
            Service.status == ServiceStatus.published,
            col(Service.deleted_at).is_(None),
            col(Permanence.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
        )
    ).all()
    codes: dict[str, set[str]] = defaultdict(set)
    for commune, categories in rows:
        for code in categories:
            codes[commune] |= {code, code.split("--")[0]}
    return codes


def shipped_texts(fields: tuple[str, ...] = ("name", "falc_summary")) -> set[str]:
    return {
        service[field]
        for org in build()["organizations"]
        for service in org["services"]
        for field in fields
        if service[field]
    }


def test_every_theme_and_first_need_is_served_in_tours_and_nantes(
    session: Session,
) -> None:
    load_everything(session)
    codes = codes_by_city(session)
    for city in ("Tours", "Nantes"):
        assert set(CATEGORIES) - codes[city] == set(), city
        assert set(NEEDS) - codes[city] == set(), city


def test_every_name_and_summary_is_translated_in_every_content_language() -> None:
    files = {path.stem: path for path in TRANSLATIONS.glob("*.json")}
    assert set(files) == set(CONTENT_LANGUAGES)
    texts = shipped_texts()
    for language, path in files.items():
        translated = json.loads(path.read_text("utf-8"))
        assert texts - set(translated) == set(), language
        stale = set(translated) - shipped_texts(TRANSLATED_FIELDS)
        assert stale == set(), f"{language}: stale entries"
        assert all(value.strip() for value in translated.values()), language


def test_translations_load_as_machine_and_a_review_survives_a_reload(
    session: Session,
) -> None:
    load_everything(session)
    rows = session.exec(select(Translation)).all()
    services = session.exec(
        select(Service).where(Service.source == "demo", col(Service.is_demo))
    ).all()
    files = [json.loads(p.read_text("utf-8")) for p in TRANSLATIONS.glob("*.json")]
    expected = sum(
        getattr(service, field) in texts
        for service in services
        for field in TRANSLATED_FIELDS
        for texts in files
    )
    named = {row.entity_id for row in rows if row.field == "name"}
    assert named == {service.id for service in services}
    assert {row.field for row in rows} == set(TRANSLATED_FIELDS)
    assert len(rows) == expected
    assert {row.status for row in rows} == {TranslationStatus.machine}

    reviewed = rows[0]
    reviewed.status = TranslationStatus.reviewed
    save(session, reviewed, SYSTEM)
    session.commit()
    second = load_everything(session)
    assert second.counts[("translation", "unchanged")] == expected
    assert second.changed == 0
    session.refresh(reviewed)
    assert reviewed.status == TranslationStatus.reviewed


def test_a_changed_french_text_gets_its_new_translation_and_stray_files_are_refused(
    session: Session, tmp_path: Path
) -> None:
    service = {
        "slug": "vestiaire-test",
        "name": "Vestiaire solidaire",
        "falc_summary": "Des vêtements à petit prix.",
        "categories": ["equipement-et-alimentation--habillement"],
        "type": "aide-materielle",
        "publics": ["tous-publics"],
        "status": "published",
        "permanences": [],
    }
    directory = tmp_path / "directory.json"
    (tmp_path / "translations").mkdir()

    def load(name: str, arabic: dict[str, str]) -> ImportReport:
        service["name"] = name
        organization = {"slug": "asso-test", "name": "Asso (démo)", "places": []}
        directory.write_text(
            json.dumps({"organizations": [{**organization, "services": [service]}]})
        )
        (tmp_path / "translations" / "ar.json").write_text(json.dumps(arabic))
        (tmp_path / "translations" / "xx.json").write_text("{}")
        report = ImportReport()
        load_demo_directory(session, directory, SYSTEM, report)
        session.commit()
        return report

    first = load("Vestiaire solidaire", {"Vestiaire solidaire": "خزانة ملابس"})
    assert first.rejected == [("xx.json", "not a content language: 'xx'")]
    assert first.counts[("translation", "created")] == 1  # no summary translation
    second = load("Vestiaire", {"Vestiaire": "ملابس"})
    assert second.counts[("translation", "updated")] == 1
    row = session.exec(select(Translation)).one()
    assert (row.language, row.text, row.status) == (
        "ar",
        "ملابس",
        TranslationStatus.machine,
    )
    # A translation shipped later for an unchanged text is written with its
    # revision, found by search and drops the cached results.
    cache_version = tables.version(session)
    third = load(
        "Vestiaire", {"Vestiaire": "ملابس", "Des vêtements à petit prix.": "ثياب رخيصة"}
    )
    assert third.counts[("translation", "created")] == 1
    assert third.counts[("translation", "unchanged")] == 1
    summary = session.exec(
        select(Translation).where(Translation.field == "falc_summary")
    ).one()
    assert (summary.version, summary.status) == (1, TranslationStatus.machine)
    revision = session.exec(
        select(Revision).where(Revision.entity_id == summary.id)
    ).one()
    assert revision.snapshot["text"] == "ثياب رخيصة"
    assert revision.diff["status"] == [None, "machine"]
    body = session.exec(select(SearchDocument.body)).one()
    assert "ثياب رخيصة" in body
    assert tables.version(session) > cache_version
    assert (
        load(
            "Vestiaire",
            {"Vestiaire": "ملابس", "Des vêtements à petit prix.": "ثياب رخيصة"},
        ).changed
        == 0
    )
