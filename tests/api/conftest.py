"""Fixtures shared by the API tests."""

from tests.api.export_territory import export_territory  # noqa: F401
