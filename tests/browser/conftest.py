"""A real server and Debian's chromium, driven by Playwright.

The server runs in its own process on a fresh SQLite file seeded with the test
territory; map tiles are switched off so that any request leaving 127.0.0.1 is
a bug, and the tests check that none does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from api import db
from tests.live_server import free_port, live_server, uvicorn
from tests.territory import Territory, build_territory

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 320, "height": 640}

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


@contextmanager
def browsing(browser: Any, base: str, **options: Any) -> Iterator[Any]:
    """A page in a context of its own (``options`` as Playwright takes them),
    closed after; then no request may have left the live server."""
    from tests.browser.test_espace import new_context

    ctx, outside = new_context(browser, base, **options)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()
    outside.check()


def live_session(database: str) -> Session:
    """A session on the live server's database, to add or read rows."""
    return Session(db.make_engine(database), expire_on_commit=False)


def signed_in_page(
    live: tuple[str, Territory], browser: Any, state: dict[str, Any], **options: Any
) -> Any:
    """A page of whoever ``state`` (see ``signed_in_storage``) signed in, as a
    context manager like ``browsing``."""
    return browsing(browser, live[0], storage_state=state, **options)


def signed_in_storage(browser: Any, base: str, email: str) -> dict[str, Any]:
    """The cookies of ``email`` signed in through the real form, to open
    other contexts with (``storage_state=``)."""
    from tests.browser.test_espace import sign_in

    with browsing(browser, base) as page:
        sign_in(page, base, email)
        return page.context.storage_state()


def check_pages(
    page: Any,
    base: str,
    paths: Iterable[str],
    lang: str,
    overflow: Callable[[Any], list[str]],
) -> None:
    """Each page answers, runs in the language's direction, passes axe with
    its ``<details>`` open, and fits the viewport (``overflow`` names what
    sticks out)."""
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("dir") == (
            "rtl" if lang == "ar" else "ltr"
        )
        page.evaluate(
            "document.querySelectorAll('details').forEach(d => d.open = true)"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], (path, width, overflow(page))
        assert axe_violations(page) == [], path
