"""The README documents every setting and every public endpoint."""

from pathlib import Path

from api.main import app
from api.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"REPERES_{name.upper()}" in README, name


def test_every_api_endpoint_is_documented() -> None:
    paths = app.openapi()["paths"]
    endpoints = [
        f"`{method.upper()} {path}`"
        for path, methods in paths.items()
        if path.startswith("/api/v1")
        for method in methods
    ]
    assert endpoints
    missing = [endpoint for endpoint in endpoints if endpoint not in README]
    assert missing == []
