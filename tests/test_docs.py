"""The README documents every setting and every public endpoint."""

from pathlib import Path

from api.main import app
from api.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"REPERES_{name.upper()}" in README, name


def test_every_public_api_endpoint_is_documented() -> None:
    paths = {path for path in app.openapi()["paths"] if path.startswith("/api/v1")}
    assert paths
    for path in paths:
        assert f"`GET {path}`" in README, path
