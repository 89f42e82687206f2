"""Read the search form (a plain GET form) into the API's SearchFilters."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.datastructures import QueryParams

from api.services.search.filters import SearchFilters

LIST_FIELDS = {"category", "public", "language", "qpv", "commune"}
FIELDS = set(SearchFilters.model_fields)


def form_values(params: QueryParams) -> dict[str, Any]:
    """The form's non-empty values: lists for list fields, strings otherwise."""
    values: dict[str, Any] = {}
    for key in FIELDS:
        given = [v.strip() for v in params.getlist(key) if v.strip()]
        if given:
            values[key] = given if key in LIST_FIELDS else given[-1]
    return values


def parse_filters(
    params: QueryParams,
) -> tuple[SearchFilters, dict[str, str], dict[str, Any]]:
    """(filters, errors by field, raw values). On errors, the filters keep only
    the valid values, so the page still shows results and the form keeps what
    was typed."""
    values = form_values(params)
    try:
        return SearchFilters.model_validate(values), {}, values
    except ValidationError as error:
        errors: dict[str, str] = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "q"
            errors.setdefault(field, item["msg"].removeprefix("Value error, "))
        valid = {k: v for k, v in values.items() if k not in errors}
        try:
            filters = SearchFilters.model_validate(valid)
        except ValidationError:
            filters = SearchFilters()
        return filters, errors, values
