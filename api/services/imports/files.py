"""An import from a path, as the command line runs it."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Literal

from sqlmodel import Session

from api.models import Place, ServiceStatus
from api.services.coordination import moderation
from api.services.imports import csv_template, data_inclusion
from api.services.imports.reading import FileError
from api.services.imports.records import Batch, Rejection
from api.services.imports.runner import Options, Summary, run
from api.services.imports.tuning import collector_paused
from api.services.listings.revisions import Actor
from api.services.listings.write_values import source_of

Format = Literal["data-inclusion", "csv"]


def read_path(path: Path, format: Format, source: str | None) -> Batch:
    """Every record of the file(s); a file that cannot be read at all gives
    one rejection (line 0 when it failed before its first row) and no record."""
    try:
        if format == "data-inclusion":
            return data_inclusion.read_path(path, source)
        with path.open("rb") as raw:
            return csv_template.read(raw, source or path.stem)
    except FileError as error:
        batch = Batch()
        batch.rejected.append(Rejection(0, str(error)))
        return batch


def import_path(
    session: Session, path: Path, format: Format, source: str | None, options: Options
) -> Summary:
    """Read, write and commit; a file that cannot be read writes nothing."""
    with collector_paused():  # also while reading and committing
        batch = read_path(path, format, source)
        if batch.rejected and not (batch.services or batch.organizations):
            return Summary(rejected=batch.rejected)
        summary = run(session, batch, options)
        session.commit()
    return summary


def import_upload(
    session: Session,
    raw: IO[bytes],
    organization_id: uuid.UUID,
    actor: Actor,
    moderated: bool,
    apply: bool,
    reviewer: bool = False,
) -> Summary:
    """An organisation's own CSV (our template): every service is its, under
    its own source. ``apply`` False is the preview: the same writes, rolled
    back. Under moderation new listings wait as drafts and changes to
    published ones wait for review (``imports.moderated``); so does a file
    whose places bring the organisation under moderation (not for a
    coordinator who reviews it, ``reviewer``)."""
    try:
        batch = csv_template.read(
            raw, source_of(organization_id), whole_directory=False
        )
    except FileError as error:
        return Summary(rejected=[Rejection(0, str(error))])
    if not moderated and not reviewer:
        moderated = _brings_moderation(session, batch, organization_id)
    options = Options(
        actor=actor,
        organization_id=organization_id,
        new_status=ServiceStatus.draft if moderated else ServiceStatus.published,
        locked_published=moderated,
    )
    summary = run(session, batch, options)
    if apply:
        session.commit()
    else:
        session.rollback()
    return summary


def _brings_moderation(
    session: Session, batch: Batch, organization_id: uuid.UUID
) -> bool:
    """Whether one of the file's places lies in a territory with moderation
    on: the upload is moderated from that file on, as the API's first place
    there is (``partner.editing.moderated_at``)."""
    scopes = moderation.moderating(session)
    places = {p.place for r in batch.services for p in r.permanences if p.place}
    return bool(scopes) and any(
        moderation.covers(
            session, Place(organization_id=organization_id, **p.values()), scopes
        )
        for p in places
    )
