"""A real server and Debian's chromium, driven by Playwright.

The server runs in its own process on a fresh SQLite file seeded with the test
territory; map tiles are switched off so that any request leaving 127.0.0.1 is
a bug, and the tests check that none does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from api import db
from tests.live_server import free_port, live_server, uvicorn
from tests.territory import Territory, build_territory

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The live server's database URL: tests may add rows to it directly."""
    return f"sqlite:///{tmp_path_factory.mktemp('live') / 'reperes.db'}"


@pytest.fixture(scope="session")
def live(
    live_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Territory]]:
    url = live_database
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        territory = build_territory(session)
        for row in vars(territory).values():
            session.refresh(row)  # loaded now: the tests read them after close
        session.expunge_all()
    engine.dispose()
    port = free_port()
    env = {
        "REPERES_DATABASE_URL": url,
        "REPERES_TILE_URL": "",
        # Mails of the partner space (moderation, invitations) stay out of var/.
        "REPERES_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
    }
    with live_server(uvicorn(port), port, env) as base:
        yield base, territory


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


def axe_violations(page: object) -> list[dict[str, object]]:
    # Evaluated through the DevTools protocol: the page's CSP (rightly) refuses
    # an injected <script>.
    page.evaluate(AXE.read_text())  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations"
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result
    ]
