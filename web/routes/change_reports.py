"""« Signaler un changement » from a service's, a place's or an organisation's
public page: a form without account, cookie or personal data.

See api.services.partner.change_reports for the anti-spam choices (honeypot,
signed and timed form token, per-address limit in memory).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import ReportedKind, ReportTopic
from api.services.partner import change_reports as reports
from api.services.system.ratelimit import client_ip, limiter_for, too_many
from api.settings import Settings
from web.routes.common import PageLang
from web.templating import render

router = APIRouter(include_in_schema=False)

# The public pages' sections, as in their URLs.
SECTIONS = {
    "services": ReportedKind.service,
    "lieux": ReportedKind.place,
    "structures": ReportedKind.organization,
}
SECTION_OF = {kind: section for section, kind in SECTIONS.items()}
# A field no person sees or fills (labelled for screen readers: « leave empty »).
HONEYPOT = "site_web"


def topics() -> list[tuple[str, str]]:
    return [
        (ReportTopic.hours.value, _("Les horaires")),
        (ReportTopic.address.value, _("L'adresse ou le lieu")),
        (ReportTopic.phone.value, _("Le téléphone ou le contact")),
        (ReportTopic.closed.value, _("Ce service ou ce lieu a fermé")),
        (ReportTopic.other.value, _("Autre chose")),
    ]


def _target(request: Request, session: SessionDep, entity_id: uuid.UUID) -> Any:
    section = request.url.path.split("/")[2]  # /{lang}/{section}/{id}/signaler
    found = reports.reported(session, SECTIONS[section], entity_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


Target = Annotated[reports.Reported, Depends(_target)]


async def _posted(request: Request) -> FormData:
    return await request.form()


def _form(
    request: Request,
    lang: str,
    section: str,
    target: reports.Reported,
    settings: Settings,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    response = render(
        request,
        "reports/form.html",
        lang,
        status_code=status,
        target=target,
        section=section,
        topics=topics(),
        values=values or {},
        errors=errors or {},
        token=reports.form_token(settings, target),
        honeypot=HONEYPOT,
    )
    response.headers["Cache-Control"] = "no-store"  # the token is timed
    return response


@router.get("/{lang}/services/{entity_id}/signaler")
@router.get("/{lang}/lieux/{entity_id}/signaler")
@router.get("/{lang}/structures/{entity_id}/signaler")
def report_form(
    request: Request,
    lang: PageLang,
    target: Target,
    settings: SettingsDep,
) -> HTMLResponse:
    return _form(request, lang, SECTION_OF[target.kind], target, settings)


@router.post("/{lang}/services/{entity_id}/signaler")
@router.post("/{lang}/lieux/{entity_id}/signaler")
@router.post("/{lang}/structures/{entity_id}/signaler")
def report_post(
    request: Request,
    lang: PageLang,
    target: Target,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[FormData, Depends(_posted)],
) -> Response:
    section = SECTION_OF[target.kind]
    thanks = f"/{lang}/{section}/{target.id}/signaler/merci"
    if form.get(HONEYPOT):  # a robot: it is told all went well
        return RedirectResponse(thanks, status_code=303)
    values = {"topic": form.get("topic") or "", "message": form.get("message") or ""}
    problem = reports.token_problem(settings, target, str(form.get("jeton") or ""))
    if request.headers.get("sec-fetch-site") == "cross-site":
        problem = _("Ce formulaire s'envoie depuis la page de la fiche.")
    if problem:
        errors = {"": problem}
        return _form(request, lang, section, target, settings, values, errors, 400)
    limiter = limiter_for(settings)
    key = f"report:ip:{client_ip(request)}"
    wait = limiter.peek(key, reports.PER_IP[0])
    if wait:
        errors = {"": str(too_many(wait).detail)}
        response = _form(request, lang, section, target, settings, values, errors, 429)
        response.headers["Retry-After"] = str(wait)
        return response
    data, errors = reports.read(values)
    if data is None:
        return _form(request, lang, section, target, settings, values, errors, 400)
    reports.submit(session, target, data, lang)
    limiter.hit(key, *reports.PER_IP)
    return RedirectResponse(thanks, status_code=303)


@router.get("/{lang}/services/{entity_id}/signaler/merci")
@router.get("/{lang}/lieux/{entity_id}/signaler/merci")
@router.get("/{lang}/structures/{entity_id}/signaler/merci")
def report_thanks(request: Request, lang: PageLang, target: Target) -> HTMLResponse:
    section = SECTION_OF[target.kind]
    return render(request, "reports/thanks.html", lang, target=target, section=section)
