"""Time to the first clusters of the broad results map in headless Chromium
(the whole directory: no filter). Not a test: a bench measure."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
BROAD_PAGE = "/fr/services"


def first_clusters(base: str, timeout_s: float = 60.0) -> dict[str, Any]:
    """Milliseconds from navigation start to the first marker on the map, and
    how many markers the first view has; an error string when it cannot run."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return {"error": "playwright is not installed"}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
            page = browser.new_page()
            runs = []
            for _ in range(3):  # the first run pays for cold caches
                page.goto(base + BROAD_PAGE, wait_until="commit")
                page.wait_for_selector(".leaflet-marker-icon", timeout=timeout_s * 1000)
                runs.append(page.evaluate("performance.now()"))
            markers = page.locator(".leaflet-marker-icon").count()
            browser.close()
    except Error as error:
        return {"error": str(error).splitlines()[0]}
    return {"first_clusters_ms": min(runs[1:]), "runs_ms": runs, "markers": markers}
