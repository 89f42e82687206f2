"""What every page route shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from api.i18n import LOCALES


def page_locale(lang: str) -> str:
    """The language prefix of the URL; an unknown one is a 404, not a guess."""
    if lang not in LOCALES:
        raise HTTPException(status_code=404)
    return lang


PageLang = Annotated[str, Depends(page_locale)]
