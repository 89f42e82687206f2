"""A partner's spreadsheet upload: the template, a preview with each
rejected row and its reason, then the import on confirmation.

The uploaded file waits between the two steps in a private temporary folder,
under a random name tied to the organisation; nothing is written before the
confirmation, and a preview writes inside a transaction it rolls back."""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile

from api.deps import SessionDep
from api.i18n import _
from api.models import Organization, Role
from api.services.accounts import access
from api.services.accounts.access import Principal
from api.services.imports import csv_template
from api.services.imports.files import import_upload
from api.services.imports.reading import UPLOAD_MAX_BYTES
from api.services.imports.runner import Summary
from web.routes.common import PageLang
from web.routes.espace.common import organization_for, page
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)
MAX_BYTES = UPLOAD_MAX_BYTES
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "reperes-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _stored(organization_id: uuid.UUID, token: str) -> Path | None:
    if not _TOKEN.match(token):
        return None
    path = _folder() / f"{organization_id}-{token}.csv"
    return path if path.exists() else None


def _form(
    request: Request,
    lang: str,
    principal: Any,
    organization: Organization,
    status: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    return page(
        request,
        "espace/import.html",
        lang,
        principal,
        status=status,
        organization=organization,
        error=error,
        max_mb=MAX_BYTES // (1024 * 1024),
    )


def _run(
    session: Session,
    principal: Principal,
    organization_id: uuid.UUID,
    path: Path,
    apply: bool,
) -> Summary:
    """Read the stored file: a preview, or (``apply``) the writes made."""
    partner = access.writer(session, principal, organization_id)
    with path.open("rb") as raw:
        return import_upload(
            session,
            raw,
            organization_id,
            principal.actor,
            partner.moderated,
            apply,
            reviewer=partner.reviewer,
        )


@router.get("/{lang}/espace/structures/{organization_id}/import")
def import_form(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    organization = organization_for(session, principal, organization_id, Role.editor)
    return _form(request, lang, principal, organization)


@router.get("/{lang}/espace/structures/{organization_id}/import/modele.csv")
def import_template(
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    organization_for(session, principal, organization_id, Role.editor)
    return Response(
        csv_template.template(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="reperes-modele.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/{lang}/espace/structures/{organization_id}/import")
async def import_preview(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> HTMLResponse:
    organization = organization_for(session, principal, organization_id, Role.editor)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing = _("Choisissez un fichier CSV.")
        return _form(request, lang, principal, organization, 400, missing)
    if upload.size is not None and upload.size > MAX_BYTES:
        too_big = _(
            "Le fichier dépasse %(size)s Mo : découpez-le en plusieurs fichiers."
        ) % {"size": MAX_BYTES // (1024 * 1024)}
        return _form(request, lang, principal, organization, 413, too_big)
    token = secrets.token_hex(16)
    target = _folder() / f"{organization_id}-{token}.csv"
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    summary = _run(session, principal, organization_id, target, apply=False)
    if not summary.changed:
        target.unlink()
    return page(
        request,
        "espace/import_preview.html",
        lang,
        principal,
        status=200 if summary.changed or not summary.rejected else 400,
        organization=organization,
        summary=summary,
        token=token if summary.changed else None,
        applied=False,
    )


@router.post("/{lang}/espace/structures/{organization_id}/import/confirmer")
def import_apply(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> HTMLResponse:
    organization = organization_for(session, principal, organization_id, Role.editor)
    stored = _stored(organization_id, str(form.get("token") or ""))
    if stored is None:
        gone = _("Ce fichier n’est plus disponible : envoyez-le à nouveau.")
        return _form(request, lang, principal, organization, 410, gone)
    summary = _run(session, principal, organization_id, stored, apply=True)
    stored.unlink()
    return page(
        request,
        "espace/import_preview.html",
        lang,
        principal,
        organization=organization,
        summary=summary,
        token=None,
        applied=True,
    )
