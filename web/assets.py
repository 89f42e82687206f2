"""Static files under versioned URLs: ``/static/css/site.css?v=<hash>``.

The hash is of the file's content, so a URL names one version for ever and
browsers may keep it a year without asking again (metered data, slow phones);
a new release changes the hash, hence the URL. A request with an old or no
hash still gets the current file, cached only briefly.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_PREFIX = "/static/"
FOREVER = "public, max-age=31536000, immutable"
BRIEFLY = "public, max-age=3600"


@cache
def content_hash(path: str) -> str:
    """The first 12 hex digits of the file's SHA-256 (computed once per process:
    files do not change under a running release)."""
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    """The versioned URL of ``path`` under web/static (``css/site.css``)."""
    return f"{STATIC_PREFIX}{path}?v={content_hash(path)}"


class VersionedStaticFiles(StaticFiles):
    """Long cache for a versioned URL whose hash is the file's; short otherwise."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code not in (200, 304):
            return response
        response.headers["cache-control"] = (
            FOREVER if _asks_current_version(path, scope) else BRIEFLY
        )
        return response


def _asks_current_version(path: str, scope: Scope) -> bool:
    query = scope.get("query_string", b"").decode("latin-1")
    version = dict(parse_qsl(query)).get("v")
    try:
        return version is not None and version == content_hash(path)
    except OSError:
        return False
