"""Machine translation, only when a self-hosted server is configured.

By default nothing is ever sent anywhere (``NoTranslator``). With
``REPERES_TRANSLATE_URL`` set, ``LibreTranslate`` posts the French texts to that
LibreTranslate-compatible server. What comes back is stored with status
``machine``: the public pages label it as an automatic translation until a
partner reviews it. Under moderation, machine text for a listing the public
sees is public text no one has read: it waits in the coordinators' review queue
like any translation (``coordination.moderation.queue_translation``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import httpx
from sqlmodel import Session

from api.models import Entity, Organization, TranslationStatus
from api.services.content import content_translations as content
from api.services.coordination import moderation
from api.services.coordination.scopes import is_moderated
from api.services.listings.revisions import Actor
from api.settings import Settings, get_settings


class MachineTranslationError(Exception):
    """The translator is not configured, did not answer, or answered nonsense."""


class Translator(Protocol):
    @property
    def name(self) -> str:
        """Recorded as the author of what it writes."""
        ...

    @property
    def configured(self) -> bool: ...

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """One translation per text, in order."""
        ...


class NoTranslator:
    """The default: no machine translation, no request to anyone."""

    name: ClassVar[str] = "none"
    configured: ClassVar[bool] = False

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        raise MachineTranslationError(
            "machine translation is not configured (set REPERES_TRANSLATE_URL to a "
            "self-hosted LibreTranslate-compatible server)"
        )


@dataclass(frozen=True)
class LibreTranslate:
    """A LibreTranslate-compatible server: POST {url}/translate."""

    url: str
    api_key: str | None = None
    timeout: float = 10.0
    name: ClassVar[str] = "LibreTranslate"
    configured: ClassVar[bool] = True

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        if not texts:
            return []
        payload: dict[str, Any] = {
            "q": texts,
            "source": source,
            "target": target,
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        endpoint = f"{self.url.rstrip('/')}/translate"
        try:
            response = httpx.post(endpoint, json=payload, timeout=self.timeout)
            response.raise_for_status()
            result = response.json()["translatedText"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            raise MachineTranslationError(f"{endpoint}: {error!r}") from error
        if isinstance(result, str):
            result = [result]
        if (
            not isinstance(result, list)
            or len(result) != len(texts)
            or not all(isinstance(text, str) for text in result)
        ):
            raise MachineTranslationError(f"{endpoint}: unexpected answer")
        return result


def translator_from(settings: Settings | None = None) -> Translator:
    """LibreTranslate when ``translate_url`` is set, else NoTranslator."""
    settings = settings or get_settings()
    if settings.translate_url:
        return LibreTranslate(
            settings.translate_url, settings.translate_api_key or None
        )
    return NoTranslator()


def machine_fill(
    session: Session,
    entity: Entity,
    language: str,
    translator: Translator,
    actor: Actor,
    moderated: bool | None = None,
) -> list[str]:
    """Translate the fields that have French text and no translation in
    ``language``; store them with status machine (no commit), or, under
    moderation (``None``: as the entity's organisation is), queue them for
    review. Returns the fields written or queued; nothing with a translator
    that is not configured."""
    if not translator.configured:
        return []
    sides = content.side_by_side(session, entity, language)
    todo = [s for s in sides if s.french and s.french.strip() and not s.translation]
    if not todo:
        return []
    texts = translator.translate([s.french or "" for s in todo], "fr", language)
    if len(texts) != len(todo):
        raise MachineTranslationError(f"{translator.name}: wrong number of texts")
    owner = _organization_of(entity)
    if moderated is None:
        moderated = is_moderated(session, owner)
    held = moderated and moderation.shown(entity)
    written = []
    for side, text in zip(todo, texts, strict=True):
        text = text.strip()
        if not text or len(text) > content.MAX_LENGTH[side.field]:
            continue
        args = (side.field, language, text, TranslationStatus.machine, translator.name)
        if held:
            moderation.queue_translation(session, owner, entity, *args, actor)
        else:
            content.upsert_translation(session, entity, *args, actor)
        written.append(side.field)
    return written


def _organization_of(entity: Entity) -> Any:
    if isinstance(entity, Organization):
        return entity.id
    return entity.organization_id  # type: ignore[attr-defined]
