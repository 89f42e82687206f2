"""Read an HTML form into one of the API's write models, so the web space and
the partner API share every check (and every error message)."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from api.validation import by_field

# List fields typed as one text input ("fr, ar, en"), not checkboxes.
TEXT_LISTS = frozenset({"languages"})
_SEPARATORS = re.compile(r"[\s,;]+")


def _kind(annotation: Any) -> str:
    """ "list", "bool" or "scalar", looking through Optional and Annotated."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _kind(args[0]) if args else "scalar"
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin is list or annotation is list:
        return "list"
    if annotation is bool:
        return "bool"
    return "scalar"


def form_values(
    schema: type[BaseModel], form: FormData, skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The form's values for the schema's fields: empty text means "not given"."""
    values: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if name in skip:
            continue
        kind = _kind(info.annotation)
        if kind == "bool":
            values[name] = form.get(name) in ("on", "true", "1", "yes")
        elif kind == "list" and name in TEXT_LISTS:
            text = str(form.get(name) or "")
            values[name] = [v for v in _SEPARATORS.split(text.lower()) if v]
        elif kind == "list":
            values[name] = [str(v) for v in form.getlist(name) if str(v).strip()]
        else:
            text = str(form.get(name) or "").strip()
            if text:
                values[name] = text
    return values


def validate(
    schema: type[BaseModel], values: dict[str, Any]
) -> tuple[BaseModel | None, dict[str, str]]:
    try:
        return schema.model_validate(values), {}
    except ValidationError as error:
        return None, by_field(error.errors())  # type: ignore[arg-type]


def display_values(row: Any, schema: type[BaseModel]) -> dict[str, Any]:
    """A stored row as form values (for the edit form's first display)."""
    values = {}
    for name in schema.model_fields:
        value = getattr(row, name, None)
        if name in TEXT_LISTS and isinstance(value, list):
            value = ", ".join(value)
        values[name] = "" if value is None else value
    return values
