"""Creating organisations and finding them by slug or id.

A slug is derived once from the name (ASCII, lower-case, hyphens), made unique
with a number, and never changes afterwards: links and scripts keep working
when the organisation is renamed.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

from sqlmodel import Session, col, select
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siret as siret_number

from api.i18n import _
from api.models import Organization
from api.services.listings.revisions import Actor, save

SLUG_MAX = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_base(name: str) -> str:
    """'Centre social Pluriel(le)' -> 'centre-social-pluriel-le'; a name with no
    Latin letter (Arabic, Tigrinya…) -> 'structure'."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:SLUG_MAX].strip("-")
    return base or "structure"


def unique_slug(session: Session, name: str) -> str:
    """The name's slug, followed by -2, -3… when taken (deleted ones too)."""
    base = slug_base(name)
    taken = set(
        session.exec(
            select(Organization.slug).where(
                col(Organization.slug).startswith(base, autoescape=True)
            )
        ).all()
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def siret_error(value: str) -> str | None:
    """Why a SIRET is refused (translated), or None; spaces are allowed."""
    try:
        siret_number.validate(value)
    except InvalidLength:
        return _("Un SIRET a 14 chiffres.")
    except InvalidFormat:
        return _("Un SIRET ne contient que des chiffres.")
    except InvalidChecksum:
        return _("Ce SIRET n'existe pas : vérifiez les chiffres.")
    return None


def compact_siret(value: str) -> str:
    return str(siret_number.compact(value))


def create_organization(
    session: Session,
    name: str,
    actor: Actor,
    *,
    slug: str | None = None,
    siret: str | None = None,
    description: str | None = None,
) -> Organization:
    """A new organisation (the caller commits); ``slug`` when given must be
    free (ValueError otherwise)."""
    if slug is not None:
        if find(session, slug, include_deleted=True) is not None:
            raise ValueError(f"the slug {slug!r} is taken")
    organization = Organization(
        slug=slug or unique_slug(session, name),
        name=name,
        siret=siret,
        description=description,
    )
    save(session, organization, actor)
    return organization


def find(
    session: Session, ref: str, include_deleted: bool = False
) -> Organization | None:
    """The organisation with this slug or this id (as the CLI accepts both)."""
    ref = ref.strip()
    try:
        condition = col(Organization.id) == uuid.UUID(ref)
    except ValueError:
        condition = col(Organization.slug) == ref
    query = select(Organization).where(condition)
    if not include_deleted:
        query = query.where(col(Organization.deleted_at).is_(None))
    return session.exec(query).first()
