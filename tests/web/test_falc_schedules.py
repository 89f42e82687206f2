"""Schedules on /falc/ pages: easy to read, one idea per line, times said the
same way everywhere, and "permanence" explained once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from api.main import app
from api.routes.http import now_paris
from api.services.schedules.hours import PARIS
from tests.territory import Territory


@pytest.fixture
def monday(client: TestClient) -> Iterator[None]:
    app.dependency_overrides[now_paris] = lambda: datetime(
        2026, 12, 7, 8, 0, tzinfo=PARIS
    )
    yield
    app.dependency_overrides.pop(now_paris, None)


def test_falc_service_page_schedules_are_easy_to_read(
    client: TestClient, territory: Territory, monday: None
) -> None:
    response = client.get(f"/falc/services/{territory.grocery.id}")
    assert response.status_code == 200, response.text
    soup = BeautifulSoup(response.text, "html.parser")
    [schedule] = soup.select(".permanence .schedule")
    lines = schedule.get_text().strip().split("\n")
    assert lines == [
        "Le deuxième et le quatrième mercredi du mois.",
        "De 14 heures à 17 heures.",
        "Fermé les jours fériés.",
    ]
    text = soup.get_text()
    assert text.count("Une permanence, c'est") == 1
    # The next session in the same words: not "14:00".
    page_times = " ".join(p.get_text() for p in soup.select("main p"))
    assert "14:00" not in page_times and "14 heures" in page_times
    assert "de 14 heures à 17 heures" in page_times  # never "14 heures–17 heures"
    assert "heures–" not in page_times
    for sign in (";", "(", "[", "week"):
        assert sign not in schedule.get_text()


def test_other_pages_keep_their_own_clock(
    client: TestClient, territory: Territory, monday: None
) -> None:
    response = client.get(f"/fr/services/{territory.grocery.id}")
    soup = BeautifulSoup(response.text, "html.parser")
    assert "le 2e et le 4e mercredi du mois, 14 h – 17 h" in soup.get_text()
    assert "Une permanence, c'est" not in soup.get_text()
