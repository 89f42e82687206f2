"""TEMPORARY minimal version (being replaced by the full module)."""


def describe(raw: str, locale: str) -> str:
    return raw
