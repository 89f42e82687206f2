"""A server process freezes its start-up heap out of the cyclic garbage
collector and collects young objects less often (REPERES_GC_FREEZE)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.services.system.collector import YOUNG_THRESHOLD
from api.settings import get_settings


@pytest.fixture
def collector_state() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    get_settings.cache_clear()


@pytest.mark.parametrize("freeze", ["1", "0"])
def test_the_app_settles_the_collector_when_it_starts(
    use_database: str,
    monkeypatch: pytest.MonkeyPatch,
    collector_state: None,
    freeze: str,
) -> None:
    monkeypatch.setenv("REPERES_GC_FREEZE", freeze)
    get_settings.cache_clear()
    gc.unfreeze()
    before = gc.get_threshold()
    with TestClient(create_app()) as client:
        assert client.get("/healthz").status_code == 200
        if freeze == "1":
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
        else:
            assert gc.get_freeze_count() == 0
            assert gc.get_threshold() == before
