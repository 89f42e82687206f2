"""A listing's history in words, and going back to an earlier version: a
confirmation page first (what would come back), then the restore, then the
history again with a notice. Readers see the history, without restore links.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic_core import to_jsonable_python

from api.i18n import _
from api.models import PendingChange
from api.services.listings import history
from api.services.partner import editing
from api.services.partner.editing import PartnerError
from web.routes.espace.common import EspaceError, back_to, notice_of, page
from web.routes.espace.listings import (
    EditTarget,
    ReadTarget,
    _after_write,
    _message,
)
from web.routes.espace.session import FormDep

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/espace/structures/{organization_id}/{slug}/{row_id}/historique")
def history_page(request: Request, target: ReadTarget) -> HTMLResponse:
    restored = request.query_params.get("fait") == RESTORED
    return page(
        request,
        "espace/history.html",
        target.lang,
        target.principal,
        organization=target.organization,
        kind=target.kind,
        row=target.row,
        entries=history.history(
            target.session, target.kind.resource.model, target.row.id, target.lang
        ),
        can_edit="write" in target.writer.scopes,
        notice=_restored_notice() if restored else notice_of(request),
    )


RESTORED = "version-retablie"


def _restored_notice() -> str:
    return _(
        "C'est fait : la version choisie est revenue. Elle est en haut de "
        "l'historique, comme une nouvelle version."
    )


@router.get(
    "/{lang}/espace/structures/{organization_id}/{slug}/{row_id}/historique/{version}"
)
def restore_confirm(request: Request, target: EditTarget, version: int) -> Response:
    """The confirmation step: what would come back, then one button."""
    row = target.row
    model = target.kind.resource.model
    try:
        wanted = to_jsonable_python(history.values_at(target.session, row, version))
    except ValueError as error:
        raise EspaceError(404, str(error)) from error
    current = to_jsonable_python(row.model_dump(warnings=False))
    return page(
        request,
        "espace/history_restore.html",
        target.lang,
        target.principal,
        organization=target.organization,
        kind=target.kind,
        row=row,
        version=version,
        changes=history.compare(target.session, model, current, wanted, target.lang),
        undeletes=row.deleted_at is not None,
    )


@router.post(
    "/{lang}/espace/structures/{organization_id}/{slug}/{row_id}/historique/{version}"
)
def restore_post(target: EditTarget, version: int, form: FormDep) -> Response:
    try:
        result = editing.restore_version(
            target.session,
            target.writer,
            target.row,
            version,
            str(form.get("current") or ""),
        )
    except PartnerError as error:
        raise EspaceError(409, _message(error)) from error
    except ValueError as error:
        raise EspaceError(404, str(error)) from error
    if isinstance(result, PendingChange):
        return _after_write(target, result)
    path = f"{target.dashboard}/{target.kind.slug}/{target.row.id}/historique"
    return back_to(path, RESTORED)
