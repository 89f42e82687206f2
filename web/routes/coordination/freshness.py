"""Freshness: listings by age since their last check, per organisation, and
reminders (one organisation or several, after a confirmation page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep, SettingsDep
from api.i18n import ngettext
from api.models import utcnow
from api.services.accounts.access import Principal
from api.services.coordination import freshness, territory
from web.routes.common import PageLang
from web.routes.coordination.common import (
    CoordinatorDep,
    coordination_page,
    page_number,
    paged,
)
from web.routes.espace.common import back_to
from web.routes.espace.session import FormDep

router = APIRouter(include_in_schema=False)
PATH = "/{lang}/coordination/fraicheur"


def _items(session: SessionDep, principal: Principal) -> list[freshness.OrgFreshness]:
    return freshness.freshness(
        session, territory.organization_scope(principal), utcnow()
    )


@router.get(PATH)
def freshness_page(
    request: Request, lang: PageLang, session: SessionDep, principal: CoordinatorDep
) -> HTMLResponse:
    items = _items(session, principal)
    sent = request.query_params.get("envoye", "")
    notice = (
        ngettext(
            "Relance envoyée : %(num)d message.",
            "Relances envoyées : %(num)d messages.",
            int(sent),
        )
        % {"num": int(sent)}
        if sent.isdigit() and len(sent) < 7
        else None
    )
    return coordination_page(
        request,
        "coordination/freshness.html",
        lang,
        principal,
        listing=paged(items, page_number(request.query_params.get("page")), 25),
        totals=freshness.totals(items),
        buckets=[key for _, key in freshness.BUCKETS],
        notice=notice,
    )


def _chosen(
    form: FormDep, items: list[freshness.OrgFreshness]
) -> list[freshness.OrgFreshness]:
    """The organisations ticked, among those of the territory (others ignored)."""
    only = form.get("only")
    wanted = {str(only)} if only else {str(v) for v in form.getlist("organization")}
    return [i for i in items if str(i.organization.id) in wanted]


@router.post(PATH + "/relance")
def remind(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    principal: CoordinatorDep,
    form: FormDep,
) -> Response:
    """First the confirmation page (what goes to whom); sent when confirmed."""
    now = utcnow()
    due = freshness.due_items(session, _chosen(form, _items(session, principal)), now)
    if form.get("confirm") != "1" or not due:
        return coordination_page(
            request,
            "coordination/remind_confirm.html",
            lang,
            principal,
            due=due,
            months=freshness.REMIND_AFTER_MONTHS,
        )
    count = freshness.send(session, due, settings, principal.user_id, lang)
    return back_to(f"/{lang}/coordination/fraicheur?envoye={count}")
