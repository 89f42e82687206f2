"""Referrals between partners ("orienter"), in the partner space: the list of
received and sent referrals, the form to send one to a service, a referral's
page with its history and the receiving organisation's answers
(``api.services.referrals``)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm.exc import StaleDataError

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import utcnow
from api.services.referrals import crypto, forms, listing, notifications, purge
from api.services.referrals import referrals as service
from web.routes.common import PageLang
from web.routes.espace.common import EspaceError, back_to, page
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)
log = logging.getLogger("reperes.referrals")
BASE = "/{lang}/espace/orientations"
VIEWS: dict[str, listing.Direction] = {"recues": "received", "envoyees": "sent"}
NOTICES = {
    "envoyee": lambda: _("Orientation envoyée. La structure qui reçoit est prévenue."),
    "reponse": lambda: _(
        "Réponse enregistrée. La personne qui a orienté est prévenue."
    ),
    "efface": lambda: _("Les informations sur la personne sont effacées."),
}
FIELDS = (
    "organization_id",
    "service_id",
    "theme",
    "need",
    "urgency",
    "first_name",
    "contact",
)


def _page(
    request: Request, template: str, lang: str, principal: Any, **context: Any
) -> HTMLResponse:
    make = NOTICES.get(request.query_params.get("fait", ""))
    return page(
        request, template, lang, principal, notice=make() if make else None, **context
    )


def _refused(error: Exception) -> EspaceError:
    if isinstance(error, service.ReferralNotFound):
        return EspaceError(404, _("Cette orientation n'existe pas."))
    if isinstance(error, crypto.ReferralKeyMissing):
        log.error("%s", error)  # the operator's fix, in words
        return EspaceError(
            503, _("Les orientations ne sont pas encore configurées sur ce site.")
        )
    assert isinstance(error, service.ReferralRefused)
    return EspaceError(error.status, str(error))


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 6 else 1


@router.get(BASE)
def list_page(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    purge.purge(session, utcnow(), settings)
    view = request.query_params.get("vue", "recues")
    direction = VIEWS.get(view, "received")
    ids = list(principal.roles)
    found = listing.list_for(
        session, ids, direction, _int(request.query_params.get("page"))
    )
    return _page(
        request,
        "espace/referrals/list.html",
        lang,
        principal,
        view="envoyees" if direction == "sent" else "recues",
        found=found,
        waiting=listing.waiting_count(session, ids) if ids else 0,
        themes=dict(forms.theme_choices()),
        retention_days=settings.referral_retention_days,
    )


def _form_page(
    request: Request,
    lang: str,
    session: SessionDep,
    principal: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    target = None
    raw = str(values.get("service_id") or "")
    try:
        target = service.target_service(session, uuid.UUID(raw))
    except ValueError:
        pass
    if target is None:
        raise EspaceError(404, _("Ce service n'existe pas ou n'est pas publié."))
    organizations = service.sending_organizations(session, principal)
    if not organizations:
        raise EspaceError(
            403, _("Pour orienter une personne, il faut être membre d'une structure.")
        )
    values.setdefault("organization_id", str(organizations[0].id))
    values.setdefault(
        "theme", next(iter(c.split("--")[0] for c in target.categories), "")
    )
    return _page(
        request,
        "espace/referrals/form.html",
        lang,
        principal,
        status=status,
        target=target,
        organizations=[(str(o.id), o.name) for o in organizations],
        themes=forms.theme_choices(),
        languages=forms.language_choices(lang),
        urgencies=forms.urgency_choices(),
        values=values,
        errors=errors,
    )


@router.get(BASE + "/nouvelle")
def form_page(
    request: Request, lang: PageLang, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    values = {
        "service_id": request.query_params.get("service", ""),
        "urgency": "normal",
    }
    return _form_page(request, lang, session, principal, values, {})


@router.post(BASE + "/nouvelle")
def send_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in FIELDS}
    values["languages"] = [str(v) for v in form.getlist("languages")]
    values["consent"] = form.get("consent") == "on"
    checked, errors = forms.read_form(values)
    if checked is None:
        return _form_page(request, lang, session, principal, values, errors, status=400)
    try:
        referral = service.send(session, principal, checked, settings)
        session.commit()
        seen = service.seen_by(session, principal, referral.id, settings)
    except (
        service.ReferralNotFound,
        service.ReferralRefused,
        crypto.ReferralKeyMissing,
    ) as error:
        raise _refused(error) from error
    notifications.tell_receivers(session, seen, settings, lang)
    return back_to(f"/{lang}/espace/orientations/{referral.id}", "envoyee")


def _seen(
    session: SessionDep, principal: Any, referral_id: uuid.UUID, settings: SettingsDep
) -> service.Seen:
    try:
        return service.seen_by(session, principal, referral_id, settings)
    except (service.ReferralNotFound, crypto.ReferralKeyMissing) as error:
        raise _refused(error) from error


def _detail(
    request: Request,
    lang: str,
    session: SessionDep,
    principal: Any,
    seen: service.Seen,
    settings: SettingsDep,
    errors: dict[str, str] | None = None,
    reason: str = "",
    status: int = 200,
) -> HTMLResponse:
    return _page(
        request,
        "espace/referrals/detail.html",
        lang,
        principal,
        status=status,
        seen=seen,
        steps=service.history(session, seen, settings),
        themes=dict(forms.theme_choices()),
        languages=dict(forms.language_choices(lang)),
        urgencies=dict(forms.urgency_choices()),
        errors=errors or {},
        values={"reason": reason},
        retention_days=settings.referral_retention_days,
    )


@router.get(BASE + "/{referral_id}")
def detail_page(
    request: Request,
    lang: PageLang,
    referral_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    purge.purge(session, utcnow(), settings)
    return _detail(
        request,
        lang,
        session,
        principal,
        _seen(session, principal, referral_id, settings),
        settings,
    )


@router.post(BASE + "/{referral_id}/reponse")
def answer_post(
    request: Request,
    lang: PageLang,
    referral_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    seen = _seen(session, principal, referral_id, settings)
    reason = str(form.get("reason") or "")
    try:
        service.decide(
            session,
            principal,
            seen,
            str(form.get("action") or ""),
            str(form.get("version") or ""),
            reason,
            settings,
        )
    except service.ReferralRefused as error:
        raise _refused(error) from error
    except ValueError as error:
        return _detail(
            request,
            lang,
            session,
            principal,
            seen,
            settings,
            {"reason": str(error)},
            reason,
            400,
        )
    try:
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise _refused(service.ReferralRefused(service.answered_meanwhile())) from error
    seen = _seen(session, principal, referral_id, settings)
    notifications.tell_sender(session, seen, settings, lang)
    return back_to(f"/{lang}/espace/orientations/{referral_id}", "reponse")


@router.post(BASE + "/{referral_id}/effacer")
def erase_post(
    lang: PageLang,
    referral_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    seen = _seen(session, principal, referral_id, settings)
    try:
        service.erase_now(session, principal, seen, str(form.get("version") or ""))
    except service.ReferralRefused as error:
        raise _refused(error) from error
    return back_to(f"/{lang}/espace/orientations/{referral_id}", "efface")
