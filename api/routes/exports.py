"""data·inclusion v1 files of the whole directory (JSON and CSV), streamed."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.deps import SessionDep
from api.routes.http import INVALID
from api.services.exports import data_inclusion
from api.services.exports.licence import current

router = APIRouter(prefix="/exports/data-inclusion", tags=["exports"])
Kind = Literal["structures", "services"]
_ROW = {"type": "object", "required": ["source", "id", "nom", "date_maj"]}
JSON_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Rows of the data·inclusion v1 schema in `items`, with "
        "the licence and attribution beside them.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["licence", "licence_url", "attribution", "items"],
                    "properties": {"items": {"type": "array", "items": _ROW}},
                }
            }
        },
    },
    **INVALID,
}
CSV_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A header of data·inclusion field names, then one row "
        "per structure or service; lists are comma-separated codes. The "
        "licence is in the `Link` header.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    },
    **INVALID,
}
_DESCRIPTION = (
    "Every published service open to all (never drafts, deleted listings or "
    "those reserved to professionals) and the organisations offering them, "
    "as the data·inclusion v1 schema (GIP de l'inclusion) defines them. "
    "Confidential places give their town, never their address or position. "
    "The licence of the data is in the `Link` header (`rel=license`)."
)


def _headers(kind: str, extension: str) -> dict[str, str]:
    return {
        "Link": current().link_header,
        "Content-Disposition": f'attachment; filename="{kind}.{extension}"',
        "Cache-Control": "public, max-age=300",
    }


@router.get(
    "/{kind}.json",
    response_class=StreamingResponse,
    responses=JSON_FILE,
    summary="data·inclusion structures or services, JSON",
    description=_DESCRIPTION,
)
def data_inclusion_json(kind: Kind, session: SessionDep) -> StreamingResponse:
    rows = data_inclusion.rows(session.get_bind(), kind)  # type: ignore[arg-type]
    return StreamingResponse(
        data_inclusion.json_chunks(rows, current()),
        media_type="application/json",
        headers=_headers(kind, "json"),
    )


@router.get(
    "/{kind}.csv",
    response_class=StreamingResponse,
    responses=CSV_FILE,
    summary="data·inclusion structures or services, CSV",
    description=_DESCRIPTION,
)
def data_inclusion_csv(kind: Kind, session: SessionDep) -> StreamingResponse:
    rows = data_inclusion.rows(session.get_bind(), kind)  # type: ignore[arg-type]
    return StreamingResponse(
        data_inclusion.csv_chunks(kind, rows),
        media_type="text/csv; charset=utf-8",
        headers=_headers(kind, "csv"),
    )
