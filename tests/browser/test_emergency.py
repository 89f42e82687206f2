"""The emergency numbers in a real browser: axe, 320 px, no JavaScript, RTL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations
from tests.territory import Territory

pytestmark = pytest.mark.browser

PAGES = [
    f"/{lang}{path}"
    for lang in ("fr", "ar", "falc")
    for path in ("/", "/services?q=introuvable")
]


@pytest.mark.parametrize("path", PAGES)
def test_the_block_passes_axe_and_fits_320_px_without_javascript(
    live: tuple[str, Territory], browser: Any, path: str
) -> None:
    base, _ = live
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    assert page.goto(base + path).status == 200
    block = page.locator("section.emergency")
    assert block.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = block.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    # Every number is a tap target of at least 44 px, reachable by keyboard.
    for link in block.locator("a").all():
        height = link.bounding_box()["height"]  # type: ignore[index]
        assert height >= 44, path
    context.close()
    # axe needs script evaluation, so it runs in a normal page.
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(base + path)
    assert axe_violations(page) == []
    page.close()


def test_numbers_stay_left_to_right_in_arabic(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, _ = live
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(base + "/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    directions = page.eval_on_selector_all(
        ".emergency-number", "els => els.map(e => getComputedStyle(e).direction)"
    )
    assert directions == ["ltr"] * 8
    assert page.locator(".emergency-number").all_inner_texts()[2] == "3919"
    # The list itself flows right to left, like the page.
    assert (
        page.eval_on_selector(".emergency-list", "e => getComputedStyle(e).direction")
        == "rtl"
    )
    page.close()
