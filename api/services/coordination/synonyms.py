"""Synonyms taught to search by coordinators (and by ``reperes add-synonym``).

Synonyms are global: a word means the same themes in every territory. So any
coordinator may teach search a word (its themes are added to the word's, if
it is already known); a coordinator may take back only the themes they added
themselves; the superadmin may remove any word, shipped ones included.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.i18n import LOCALES, _
from api.models import Synonym, TaughtSynonym
from api.services.accounts.access import Principal
from api.services.search.text import normalised_query
from api.vocabulary import CATEGORIES, THEMES

LANGUAGES = tuple(code for code in LOCALES if code != "falc")
PAGE_SIZE = 50


class SynonymError(ValueError):
    """Bad input, by field name, in the current language."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def check(term: str, language: str, categories: list[str]) -> str:
    """The folded term, or SynonymError naming each bad field."""
    errors = {}
    folded = normalised_query(term)
    if not folded:
        errors["term"] = _("Écrivez un mot ou une expression (lettres ou chiffres).")
    if language not in LANGUAGES:
        errors["language"] = _("Choisissez une langue de la liste.")
    unknown = [c for c in categories if c not in THEMES and c not in CATEGORIES]
    if not categories or unknown:
        errors["categories"] = _("Choisissez au moins un thème de la liste.")
    if errors:
        raise SynonymError(errors)
    return folded


def teach(
    session: Session,
    term: str,
    language: str,
    categories: list[str],
    user_id: uuid.UUID | None = None,
) -> Synonym:
    """TERM (in LANGUAGE) now also finds these themes; what a user added is
    noted so that they can take it back."""
    folded = check(term, language, categories)
    row = session.exec(
        select(Synonym).where(Synonym.language == language, Synonym.term == folded)
    ).first()
    known = set(row.categories) if row else set()
    added = sorted(set(categories) - known)
    if row is None:
        row = Synonym(language=language, term=folded, categories=added)
        session.add(row)
    else:
        row.categories = sorted(known | set(added))
    session.flush()
    if user_id is not None and added:
        assert row.id is not None
        session.add(TaughtSynonym(synonym_id=row.id, user_id=user_id, categories=added))
    session.commit()
    return row


def taught_by(session: Session, synonym_id: int, user_id: uuid.UUID) -> set[str]:
    rows = session.exec(
        select(TaughtSynonym.categories).where(
            TaughtSynonym.synonym_id == synonym_id, TaughtSynonym.user_id == user_id
        )
    ).all()
    return {code for categories in rows for code in categories}


def can_remove(session: Session, principal: Principal, synonym: Synonym) -> bool:
    assert synonym.id is not None
    return principal.is_superadmin or bool(
        taught_by(session, synonym.id, principal.user_id)
    )


def remove(session: Session, principal: Principal, synonym: Synonym) -> None:
    """The superadmin removes the word; a coordinator the themes they added
    (the word goes when nothing is left). PermissionError otherwise."""
    if not can_remove(session, principal, synonym):
        raise PermissionError
    assert synonym.id is not None
    mine = taught_by(session, synonym.id, principal.user_id)
    left = [] if principal.is_superadmin else sorted(set(synonym.categories) - mine)
    taught = select(TaughtSynonym).where(TaughtSynonym.synonym_id == synonym.id)
    if not left:
        for row in session.exec(taught).all():
            session.delete(row)
        session.flush()
        session.delete(synonym)
    else:
        synonym.categories = left
        mine_rows = taught.where(TaughtSynonym.user_id == principal.user_id)
        for row in session.exec(mine_rows).all():
            session.delete(row)
    session.commit()


@dataclass
class SynonymPage:
    rows: list[tuple[Synonym, bool]]  # (synonym, may this user remove it)
    page: int
    pages: int
    total: int


def listing(
    session: Session, principal: Principal, term: str, page: int, language: str = ""
) -> SynonymPage:
    """Synonyms by language and term, filtered by a folded prefix and a language."""
    query = select(Synonym)
    folded = normalised_query(term)
    if folded:
        query = query.where(col(Synonym.term).startswith(folded, autoescape=True))
    if language in LANGUAGES:
        query = query.where(Synonym.language == language)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = session.exec(
        query.order_by(col(Synonym.language), col(Synonym.term))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    mine = set(
        session.exec(
            select(TaughtSynonym.synonym_id).where(
                TaughtSynonym.user_id == principal.user_id
            )
        ).all()
    )
    return SynonymPage(
        [(s, principal.is_superadmin or s.id in mine) for s in rows],
        page,
        pages,
        total,
    )
