"""Fixtures of the outreach tests: the two territories, and a Tours editor
(anna) signed in through the real forms."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.espace.helpers import Browser
from tests.outreach.helpers import World, make_world, member


@pytest.fixture
def world(session: Session) -> World:
    return make_world(session)


@pytest.fixture
def partner(client: TestClient, session: Session, world: World) -> Browser:
    """anna@tours.fr, an editor of the Tours structure, signed in."""
    return member(client, session, "anna@tours.fr", world.tours)
