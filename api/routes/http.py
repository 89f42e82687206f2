"""What every public JSON route shares: caching headers, errors, language, clock."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from pydantic_core import to_json

from api.i18n import LOCALES
from api.validation import clean_text

PARIS = ZoneInfo("Europe/Paris")
Lang = Literal[tuple(LOCALES)]  # type: ignore[valid-type]


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorModel(BaseModel):
    detail: list[ErrorItem]


class ErrorModel(BaseModel):
    detail: str


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorModel, "description": "No such published listing"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ValidationErrorModel,
        "description": "A parameter is invalid; `loc` names it",
    }
}


NOT_JSON: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorModel, "description": "The body is not valid JSON"}
}


def unprocessable(param: str, message: str, where: str = "query") -> HTTPException:
    """A 422 shaped like FastAPI's own, so clients parse one error format."""
    return HTTPException(
        status_code=422,
        detail=[{"loc": [where, param], "msg": message, "type": "value_error"}],
    )


def not_found() -> HTTPException:
    return HTTPException(status_code=404, detail="Not found")


async def lang_param(
    lang: Annotated[
        Lang, Query(description="Language of labels, schedules and translated texts.")
    ] = "fr",
) -> str:
    return str(lang)


def now_paris() -> datetime:
    return datetime.now(PARIS)


async def _now(request: Request) -> datetime:
    """``now_paris`` without a trip to the thread pool (tests override it)."""
    clock = request.app.dependency_overrides.get(now_paris, now_paris)
    return clock()  # type: ignore[no-any-return]


LangDep = Annotated[str, Depends(lang_param)]
NowDep = Annotated[datetime, Depends(_now)]


def cached_json(
    request: Request,
    body: Any,
    max_age: int = 60,
    media_type: str = "application/json",
) -> Response:
    """The response with an ETag of its content; 304 when the client has it."""
    payload = to_json(body)
    etag = f'W/"{hashlib.sha256(payload).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(content=payload, media_type=media_type, headers=headers)


def declare_required_if_match(app: FastAPI) -> None:
    """If-Match is optional in the route signatures, so that a missing one is
    a 428 (RFC 6585) and not a 422; the OpenAPI document says it is required
    on every write to an existing row (a translation PUT may create one)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                writes = method in ("patch", "delete") or path.endswith("/restore")
                if method == "put" and "/translations/" not in path:
                    writes = True
                for param in operation.get("parameters", []) if writes else []:
                    if param["in"] == "header" and param["name"].lower() == "if-match":
                        param["required"] = True
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# Routes whose query parameters are API parameters (pages show their own
# errors inline, next to the field).
API_PREFIXES = ("/api/", "/hsds", "/exports/", "/qpv/")


async def refuse_hostile_input(request: Request) -> None:
    """Every route, before anything reads the database: the text policy on
    path and query values (a NUL byte alone breaks PostgreSQL). In the API a
    422 naming the parameter; on a page, a path no text can hold names
    nothing (404) and the page shows a query value's error itself."""
    api = request.url.path.startswith(API_PREFIXES)
    for name, value in request.path_params.items():
        try:
            clean_text(str(value))
        except ValueError as error:
            if not api:
                raise HTTPException(status_code=404) from None
            raise _invalid("path", name, error) from None
    if not api:
        return
    for name, value in request.query_params.multi_items():
        try:
            clean_text(value)
        except ValueError as error:
            raise _invalid("query", name, error) from None


def _invalid(where: str, name: str, error: ValueError) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "value_error", "loc": (where, name), "msg": str(error)}]
    )
