"""Partner API /api/v1/partner/translations: a structure's own listings in other
languages, one row per field and language, with the same token, scopes and
If-Match as the rest of the partner API."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import SessionDep
from api.i18n import _
from api.models import Entity, PendingChange, Translation, TranslationStatus
from api.models.partner import Write
from api.routes.partner import ERRORS, IfMatch, PartnerDep, http_error, written
from api.services.content import content_translations as content
from api.services.partner import editing as svc
from api.services.partner.editing import Partner, PartnerError

EntityType = Literal["service", "place", "organization"]
FieldName = Literal["name", "falc_summary", "description"]
Language = Literal[content.CONTENT_LANGUAGES]  # type: ignore[valid-type]


class TranslationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    entity_type: str
    entity_id: uuid.UUID
    field: str
    language: str
    text: str
    status: TranslationStatus = Field(
        description="machine, to_review (shown with an automatic-translation "
        "label) or reviewed"
    )
    author: str | None
    version: int = Field(description="The ETag: send it back in If-Match.")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class TranslationsOut(BaseModel):
    entity_type: str
    entity_id: uuid.UUID
    fields: list[str] = Field(description="The translatable fields of this type.")
    languages: list[str] = Field(description="The languages a text may be in.")
    source: dict[str, str | None] = Field(description="The French texts.")
    translations: list[TranslationOut]


class TranslationIn(Write):
    text: Annotated[str, Field(min_length=1, max_length=10_000)]
    status: Literal["to_review", "reviewed"] = "to_review"
    author: Annotated[
        str | None, Field(max_length=200, description="Default: the token's name.")
    ] = None


router = APIRouter(prefix="/partner", tags=["partner"], responses=ERRORS)
PATH = "/translations/{entity_type}/{entity_id}/{field}/{language}"


def _guarded(call: Any) -> Any:
    try:
        return call()
    except PartnerError as error:
        raise http_error(error) from error
    except content.TranslationError as error:
        where = "body" if error.loc == "text" else "path"
        raise HTTPException(
            422,
            [{"loc": [where, error.loc], "msg": error.message, "type": "value_error"}],
        ) from error


def _entity(
    session: Any, partner: Partner, entity_type: str, entity_id: uuid.UUID
) -> Entity:
    """The listing if it is this partner's: 404 when missing, 403 when another's."""
    row: Any = session.get(content.MODELS[entity_type], entity_id)
    if row is None:
        raise PartnerError(404, _("introuvable"))
    owner = row.id if entity_type == "organization" else row.organization_id
    if owner != partner.organization_id:
        raise PartnerError(403, _("cette fiche appartient à une autre structure"))
    return row  # type: ignore[no-any-return]


def _out(response: Response, row: Translation) -> TranslationOut:
    response.headers["ETag"] = f'"{row.version}"'
    response.headers["Cache-Control"] = "no-store"
    return TranslationOut.model_validate(row)


def _live(
    session: Any, entity: Entity, field: str, language: str
) -> Translation | None:
    content.check(content.entity_type_of(entity), field, language)
    row = content.find(session, entity, field, language)
    return row if row is not None and row.deleted_at is None else None


@router.get("/translations", response_model=TranslationsOut)
def list_translations(
    session: SessionDep,
    partner: PartnerDep,
    response: Response,
    entity_type: EntityType,
    entity_id: uuid.UUID,
    language: Annotated[Language | None, Query()] = None,
) -> TranslationsOut:
    """The French texts of one of your listings and their live translations."""
    _guarded(lambda: svc.require_read(partner))
    entity = _guarded(lambda: _entity(session, partner, entity_type, entity_id))
    fields = content.FIELDS[entity_type]
    rows = content.rows_of(session, entity_type, entity.id, language)
    response.headers["Cache-Control"] = "no-store"
    return TranslationsOut(
        entity_type=entity_type,
        entity_id=entity.id,
        fields=list(fields),
        languages=list(content.CONTENT_LANGUAGES),
        source={field: getattr(entity, field) for field in fields},
        translations=[
            TranslationOut.model_validate(row) for row in rows if row.deleted_at is None
        ],
    )


@router.get(PATH, response_model=TranslationOut)
def read_translation(
    session: SessionDep,
    partner: PartnerDep,
    response: Response,
    entity_type: EntityType,
    entity_id: uuid.UUID,
    field: FieldName,
    language: Language,
) -> TranslationOut:
    """One translation, with its ETag."""
    _guarded(lambda: svc.require_read(partner))
    entity = _guarded(lambda: _entity(session, partner, entity_type, entity_id))
    row = _guarded(lambda: _live(session, entity, field, language))
    if row is None:
        raise http_error(PartnerError(404, _("introuvable")))
    return _out(response, row)


@router.put(
    PATH,
    response_model=TranslationOut,
    responses={201: {"model": TranslationOut, "description": "Created"}},
)
def put_translation(
    session: SessionDep,
    partner: PartnerDep,
    response: Response,
    entity_type: EntityType,
    entity_id: uuid.UUID,
    field: FieldName,
    language: Language,
    body: TranslationIn,
    if_match: IfMatch = None,
) -> TranslationOut:
    """Create (no If-Match needed) or replace (If-Match required) a translation.
    A later change to the French text marks it to_review again. Under
    moderation the translation waits for a coordinator (202)."""
    _guarded(lambda: svc.require_write(partner))
    entity = _guarded(lambda: _entity(session, partner, entity_type, entity_id))
    live = _guarded(lambda: _live(session, entity, field, language))
    if live is not None:
        _guarded(lambda: svc.expected_version(if_match, live))
    elif if_match:  # the row read is gone
        raise http_error(svc.changed_since(0))
    row = _guarded(
        lambda: svc.write_translation(
            session,
            partner,
            entity,
            field,
            language,
            body.text,
            body.status,
            body.author or partner.actor.label,
        )
    )
    session.commit()
    if isinstance(row, PendingChange):  # moderated: the public keeps the old text
        return written(response, row)  # type: ignore[no-any-return]
    session.refresh(row)
    if live is None:
        response.status_code = 201
    return _out(response, row)


@router.delete(PATH, response_model=TranslationOut)
def delete_translation(
    session: SessionDep,
    partner: PartnerDep,
    response: Response,
    entity_type: EntityType,
    entity_id: uuid.UUID,
    field: FieldName,
    language: Language,
    if_match: IfMatch = None,
) -> TranslationOut:
    """Soft delete: the public sees the French text again; a PUT brings it back."""
    _guarded(lambda: svc.require_write(partner))
    entity = _guarded(lambda: _entity(session, partner, entity_type, entity_id))
    live = _guarded(lambda: _live(session, entity, field, language))
    if live is None:
        raise http_error(PartnerError(404, _("introuvable")))
    _guarded(lambda: svc.expected_version(if_match, live))
    content.upsert_translation(
        session, entity, field, language, "", live.status, None, partner.actor
    )
    session.commit()
    session.refresh(live)
    return _out(response, live)
