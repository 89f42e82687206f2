"""The bulk paths behind fast imports: what they write is exactly what the
one-row-at-a-time paths write (search index, organisations), so speed never
changes a search result or a listing."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from api.models import (
    Organization,
    Revision,
    SearchDocument,
    SearchEntry,
    SearchFacet,
    SearchHours,
    SearchPoint,
    SearchSlot,
    Service,
)
from api.services.search import index
from api.services.search.bulk_index import fast_index_stems, insert_rows
from api.services.search.text import index_stems
from bench.imports import generate
from tests.api.test_imports import SAMPLE, import_sample
from tests.factories import load_real_qpvs

HOSTILE = [
    "Accès aux droits, Santé : l'épicerie « solidaire »",
    "مُسَاعَدَة قانونية ـ محامي",  # Arabic vowel marks and a tatweel
    "Допомога з житлом; й и",
    "ትምህርት ምኽሪ",  # Ge'ez
    "a¨b c´d ½ ﬁn",  # compatibility forms that decompose to a space or marks
    "tab\there\nline\u00a0nbsp\u2003em\u3000ideographic",
    "<script>alert(1)</script> =SUM(A1) \x00 NUL",
    "\u0301leading mark  double  spaces ",
    "ΣΑΣ Straße ǅ İstanbul",
    "",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_cached_stems_are_the_index_stems(text: str) -> None:
    assert fast_index_stems(text, text.upper(), "x") == index_stems(
        text, text.upper(), "x"
    )


def _index_state(session: Session) -> dict[str, Any]:
    """Everything the search reads, keyed by service (entry ids aside)."""
    entry = dict(session.exec(select(SearchEntry.id, SearchEntry.service_id)).all())
    rules = {
        h.id: (h.opening_hours, h.anchor) for h in session.exec(select(SearchHours))
    }
    return {
        "documents": {
            d.service_id: (d.title, d.summary, d.body, d.stems)
            for d in session.exec(select(SearchDocument))
        },
        "rowids": {d.service_id: d.rowid for d in session.exec(select(SearchDocument))},
        "entries": {
            e.service_id: (
                e.organization_id,
                e.visibility,
                e.free,
                e.appointment_required,
                e.referral_required,
                e.sort_key,
                e.updated_at,
            )
            for e in session.exec(select(SearchEntry))
        },  # fmt: skip
        "facets": Counter(
            (entry[f.entry_id], f.facet, f.value)
            for f in session.exec(select(SearchFacet))
        ),
        "points": Counter(
            (entry[p.entry_id], p.place_id, p.lat, p.lon)
            for p in session.exec(select(SearchPoint))
        ),
        "slots": Counter(
            (
                entry[s.entry_id],
                rules[s.hours_id],
                s.place_id,
                s.valid_from,
                s.valid_until,
            )
            for s in session.exec(select(SearchSlot))
        ),  # fmt: skip
    }


def test_an_imports_bulk_index_is_what_a_full_reindex_builds(
    session: Session, tmp_path: Path
) -> None:
    load_real_qpvs(session)
    generate(tmp_path, 300, seed=7)
    import_sample(session)
    summary = import_sample(session, tmp_path)
    assert summary.created == 300 and not summary.rejected
    bulk = _index_state(session)
    assert len(bulk["documents"]) == 304 and len(bulk["facets"]) > 1000
    # Entries are keyed by their document's rowid, as ``tables.store`` wants.
    assert all(bulk["rowids"][s] is not None for s in bulk["entries"])
    index.reindex_all(session)
    session.flush()
    again = _index_state(session)
    for part in ("documents", "entries", "facets", "points"):
        assert bulk[part] == again[part], part
    assert bulk["slots"] == again["slots"]


def test_a_search_finds_what_the_import_brought(
    client: Any, session: Session, tmp_path: Path
) -> None:
    generate(tmp_path, 50, seed=3)
    import_sample(session, tmp_path)
    found = client.get("/api/v1/services", params={"q": "Service 17"}).json()
    assert "Service 17" in [hit["name"] for hit in found["items"]]


def test_an_unchanged_structure_is_not_written_and_a_changed_one_is(
    session: Session, tmp_path: Path
) -> None:
    load_real_qpvs(session)
    import_sample(session)
    versions = {o.source_id: o.version for o in session.exec(select(Organization))}
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    rows = json.loads((copy / "structures.json").read_text())
    rows[0]["nom"] = "Nouveau nom <b>مرحبا</b>"
    (copy / "structures.json").write_text(json.dumps(rows))
    before = _org_revisions(session)
    summary = import_sample(session, copy)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    assert _org_revisions(session) == before + 1  # the renamed structure only
    after = {o.source_id: o for o in session.exec(select(Organization))}
    assert after[rows[0]["id"]].name == "Nouveau nom <b>مرحبا</b>"
    assert after[rows[0]["id"]].version == versions[rows[0]["id"]] + 1
    assert all(o.version == versions[k] for k, o in after.items() if k != rows[0]["id"])
    # Its services are found by the new name.
    renamed = after[rows[0]["id"]]
    services = session.exec(
        select(Service.id).where(col(Service.organization_id) == renamed.id)
    ).all()
    titles = session.exec(
        select(SearchDocument.title).where(col(SearchDocument.service_id).in_(services))
    ).all()
    assert titles and all("Nouveau nom" in t for t in titles)


def _org_revisions(session: Session) -> int:
    return len(
        session.exec(
            select(Revision.id).where(Revision.entity_type == "organization")
        ).all()
    )


def test_bulk_rows_must_carry_every_defaulted_column(session: Session) -> None:
    with pytest.raises(ValueError, match="revision"):
        insert_rows(session, Revision.__table__, [{"entity_type": "service"}])  # type: ignore[attr-defined]
