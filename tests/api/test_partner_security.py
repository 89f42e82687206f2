"""Partner API security: who may call what, concurrent edits, hostile input and
moderation. The basics (tokens, If-Match, soft delete) are in test_partner.py;
this file reuses its personas and bodies."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.main import app
from api.models import (
    Closure,
    CoordinatorScope,
    Organization,
    PendingChange,
    Permanence,
    Place,
    Revision,
    Service,
    User,
    utcnow,
)
from api.services.accounts.auth import issue_token
from api.services.coordination import moderation
from api.services.listings.revisions import Actor
from tests.api import test_partner as partner_tests
from tests.api.test_partner import URL, Persona, place_body
from tests.conftest import ON_POSTGRES

# Alice (read-write), her read-only token, Bob of another organisation, nobody.
personas = partner_tests.personas

CATEGORY = "sante--acces-aux-soins"
FAR_START, FAR_END = "2099-01-01", "2099-12-31"  # a closure the pages still show
RESOURCES = ("places", "services", "permanences", "closures")
MODELS: dict[str, Any] = {
    "places": Place,
    "services": Service,
    "permanences": Permanence,
    "closures": Closure,
}
Ids = dict[str, str]  # resource -> id of one of Alice's rows


def service_body(**changes: Any) -> dict[str, Any]:
    return {"name": "Écrivain public", "categories": [CATEGORY], **changes}


def permanence_body(ids: Ids, **changes: Any) -> dict[str, Any]:
    return {
        "service_id": ids["services"],
        "place_id": ids["places"],
        "opening_hours": "Mo 09:00-12:00",
        **changes,
    }


def closure_body(ids: Ids, **changes: Any) -> dict[str, Any]:
    return {
        "service_id": ids["services"],
        "start": FAR_START,
        "end": FAR_END,
        **changes,
    }


# Full bodies (POST, PUT) and one-field bodies (PATCH) for each resource.
FULL: dict[str, Callable[[Ids], dict[str, Any]]] = {
    "places": lambda ids: place_body(name="Maison renommée"),
    "services": lambda ids: service_body(name="Écrivain renommé"),
    "permanences": lambda ids: permanence_body(ids, note="Au 1er étage"),
    "closures": lambda ids: closure_body(ids, reason="Travaux"),
}
PARTIAL: dict[str, dict[str, Any]] = {
    "places": {"name": "Maison renommée"},
    "services": {"name": "Écrivain renommé"},
    "permanences": {"note": "Au 1er étage"},
    "closures": {"reason": "Travaux"},
}


def expect(response: Any, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def counts(engine: Engine) -> dict[str, int]:
    """How many rows of each kind, revisions and pending changes are stored."""
    with Session(engine) as session:
        return {
            name: session.exec(select(func.count()).select_from(model)).one()
            for name, model in {
                **MODELS,
                "revisions": Revision,
                "pending_changes": PendingChange,
            }.items()
        }


def history(engine: Engine, ids: Ids) -> list[tuple[str, int]]:
    """The revisions of these rows: any write to one of them adds one."""
    with Session(engine) as session:
        rows = session.exec(
            select(Revision.entity_id, Revision.version).where(
                col(Revision.entity_id).in_([uuid.UUID(i) for i in ids.values()])
            )
        ).all()
    return sorted((str(entity), version) for entity, version in rows)


def bearer(persona: Persona) -> str:
    return str(persona.headers["Authorization"]).removeprefix("Bearer ")


@pytest.fixture
def alice_rows(personas: dict[str, Persona]) -> Ids:
    """One row of each resource, owned by Alice's organisation."""
    alice = personas["alice"]
    place = expect(alice.post("/places", json=place_body(source_id="P-1")), 201)
    service = expect(alice.post("/services", json=service_body(source_id="S-1")), 201)
    ids = {"places": place["id"], "services": service["id"]}
    ids["permanences"] = expect(
        alice.post("/permanences", json=permanence_body(ids)), 201
    )["id"]
    ids["closures"] = expect(alice.post("/closures", json=closure_body(ids)), 201)["id"]
    return ids


# --- 1. Authorisation matrix ------------------------------------------------


@pytest.fixture
def callers(
    personas: dict[str, Persona],
    client: TestClient,
    session: Session,
) -> dict[str, Persona]:
    """Everyone who may knock, Alice (the owner) last: she is the only one whose
    call may change her rows, so the others are checked against an unchanged row."""
    alice_org = session.exec(
        select(Organization).where(Organization.slug == "alice")
    ).one()
    revoked = issue_token(session, alice_org, "ancien", ["read", "write"])
    revoked.row.revoked_at = utcnow()
    session.add(revoked.row)
    session.commit()
    prefix = bearer(personas["alice"]).rsplit("_", 1)[0]
    malformed = Persona(client, None)
    malformed.headers = {"Authorization": "Basic YWxpY2U6c2VjcmV0"}
    return {
        "anonymous": personas["anonymous"],
        "malformed": malformed,
        # Alice's real prefix with a made-up secret.
        "forged": Persona(client, f"{prefix}_{'A' * 43}"),
        "revoked": Persona(client, revoked.secret),
        "reader": personas["reader"],  # Alice's organisation, read scope only
        "stranger": personas["bob"],  # another organisation's write token
        "owner": personas["alice"],
    }


@dataclass(frozen=True)
class Route:
    """One call on Alice's data, and the status each caller gets (``expected``)."""

    method: str
    path: str  # "{id}": the id of Alice's row of ``resource``
    resource: str | None = None
    body: Callable[[Ids], Any] | None = None
    reader: int = 403  # read-only token
    stranger: int = 403  # another organisation's write token
    owner: int = 200
    deleted_first: bool = False  # Alice deletes the row before the calls

    @property
    def label(self) -> str:
        return (
            f"{self.method} {self.path.replace('{id}', '{' + str(self.resource) + '}')}"
        )


def _row_routes(name: str) -> list[Route]:
    row = f"/{name}/{{id}}"
    return [
        Route("GET", row, name, reader=200),
        Route("PUT", row, name, FULL[name]),
        Route("PATCH", row, name, lambda ids, name=name: PARTIAL[name]),
        Route("DELETE", row, name),
        Route("POST", f"{row}/restore", name, deleted_first=True),
    ]


ROUTES: list[Route] = [
    # Creating: the stranger may create rows in their own organisation (201),
    # never ones that hang on Alice's (422 naming the reference).
    Route("POST", "/places", body=FULL["places"], stranger=201, owner=201),
    Route("POST", "/services", body=FULL["services"], stranger=201, owner=201),
    Route("POST", "/permanences", body=FULL["permanences"], stranger=422, owner=201),
    Route("POST", "/closures", body=FULL["closures"], stranger=422, owner=201),
    Route(
        "POST",
        "/confirm",
        body=lambda ids: {"service_ids": [ids["services"]]},
        stranger=422,
        owner=200,
    ),
    # Same source_ids as Alice's rows: the stranger upserts rows of their own.
    Route(
        "POST",
        "/bulk",
        body=lambda ids: {
            "places": [place_body(source_id="P-1", name="Renommé par bulk")],
            "services": [service_body(source_id="S-1", name="Renommé par bulk")],
        },
        stranger=200,
        owner=200,
    ),
    *[Route("GET", f"/{name}", reader=200, stranger=200) for name in RESOURCES],
    *[route for name in RESOURCES for route in _row_routes(name)],
]

# No token, a header that is not a token, a wrong secret or a revoked token: 401.
UNAUTHENTICATED = {"anonymous": 401, "malformed": 401, "forged": 401, "revoked": 401}


def expected(route: Route) -> dict[str, int]:
    return {
        **UNAUTHENTICATED,
        "reader": route.reader,
        "stranger": route.stranger,
        "owner": route.owner,
    }


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.label)
def test_authorisation_matrix(
    route: Route, callers: dict[str, Persona], alice_rows: Ids, engine: Engine
) -> None:
    owner = callers["owner"]
    headers = {}
    path = route.path
    if route.resource:
        path = path.replace("{id}", alice_rows[route.resource])
        row = f"/{route.resource}/{alice_rows[route.resource]}"
        if route.deleted_first:
            etag = owner.get(row).headers["etag"]
            expect(owner.delete(row, headers={"If-Match": etag}), 200)
        # Everyone sends the right version: only who they are may stop them.
        headers["If-Match"] = owner.get(row).headers["etag"]
    body = route.body(alice_rows) if route.body else None
    before = history(engine, alice_rows)

    statuses, untouched = {}, True
    for name, persona in callers.items():
        if name == "owner":
            untouched = history(engine, alice_rows) == before
        response = getattr(persona, route.method.lower())(
            path, json=body, headers=headers
        )
        statuses[name] = response.status_code
        if response.status_code == 401:
            assert response.headers["www-authenticate"] == "Bearer"
        if response.status_code == 403:
            assert set(response.json()) == {"detail"}  # nothing of the row

    assert statuses == expected(route)
    assert untouched, "a refused or foreign call wrote to one of Alice's rows"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "bearer rp_0123abcd_secret",
        "Bearer rp_0123abcd",
        "Bearer rp_0123ABCD_secret",
        "Bearer rp_0123abcd_secret extra",
        "Bearer rp_0123abcd_' OR '1'='1",
        "Token rp_0123abcd_secret",
    ],
)
def test_malformed_authorization_headers_are_401(
    personas: dict[str, Persona],
    header: str,
) -> None:
    response = personas["anonymous"].get("/places", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.fixture
def bob_rows(personas: dict[str, Persona], alice_rows: Ids) -> dict[str, set[str]]:
    """Bob's own rows of each resource, and under "deleted" the one he deleted.
    His permanence is held in Alice's place, which she shared with him."""
    bob = personas["bob"]
    grant = {"organization": "bob"}
    shared = personas["alice"].post(
        f"/places/{alice_rows['places']}/grants", json=grant
    )
    expect(shared, 201)
    place = expect(bob.post("/places", json=place_body(name="Chez Bob")), 201)
    gone = expect(bob.post("/places", json=place_body(name="Ancien local")), 201)
    expect(bob.delete(f"/places/{gone['id']}", headers={"If-Match": '"1"'}), 200)
    service = expect(bob.post("/services", json=service_body(name="Bob aide")), 201)
    his = {"places": place["id"], "services": service["id"]}
    permanence = permanence_body({**his, "places": alice_rows["places"]})
    place_closure = {"place_id": place["id"], "start": FAR_START, "end": FAR_END}
    return {
        "places": {place["id"]},
        "services": {service["id"]},
        "permanences": {expect(bob.post("/permanences", json=permanence), 201)["id"]},
        "closures": {
            expect(bob.post("/closures", json=place_closure), 201)["id"],
            expect(bob.post("/closures", json=closure_body(his)), 201)["id"],
        },
        "deleted": {gone["id"]},
    }


def test_lists_never_show_another_organisations_rows(
    personas: dict[str, Persona],
    alice_rows: Ids,
    bob_rows: dict[str, set[str]],
) -> None:
    alice, reader, bob = personas["alice"], personas["reader"], personas["bob"]
    # A closure of Alice's place, besides the one of her service.
    place_closure = {
        "place_id": alice_rows["places"],
        "start": FAR_START,
        "end": FAR_END,
    }
    alice_ids = {name: {row_id} for name, row_id in alice_rows.items()}
    alice_ids["closures"].add(
        expect(alice.post("/closures", json=place_closure), 201)["id"]
    )
    bob_with_deleted = {**bob_rows, "places": bob_rows["places"] | bob_rows["deleted"]}

    def listed(persona: Persona, name: str, deleted: bool) -> set[str]:
        response = persona.get(f"/{name}", params={"deleted": deleted})
        return {row["id"] for row in expect(response, 200)}

    for name in RESOURCES:
        assert listed(alice, name, False) == alice_ids[name], name
        assert listed(reader, name, False) == alice_ids[name], name
        assert listed(alice, name, True) == alice_ids[name], name
        assert listed(bob, name, False) == bob_rows[name], name
        assert listed(bob, name, True) == bob_with_deleted[name], name
        for row_id in alice_ids[name]:
            assert bob.get(f"/{name}/{row_id}").status_code == 403
        for row_id in bob_with_deleted[name]:
            assert alice.get(f"/{name}/{row_id}").status_code == 403
            assert reader.get(f"/{name}/{row_id}").status_code == 403
        assert alice.get(f"/{name}/{uuid.uuid4()}").status_code == 404


# --- 2. Optimistic locking under real concurrency ----------------------------

ROUNDS = 20


def race(path: str, headers: dict[str, str], bodies: list[Any]) -> list[Any]:
    """PUT each body from its own thread and TestClient (so its own DB session:
    the ``client`` fixture's override opens one per request), all released at
    once by a barrier; the statuses, or the exception a 500 raised."""
    barrier = threading.Barrier(len(bodies))
    statuses: list[Any] = [None] * len(bodies)

    def put(i: int) -> None:
        client = TestClient(app)
        barrier.wait()
        try:
            statuses[i] = client.put(path, json=bodies[i], headers=headers).status_code
        except Exception as error:
            statuses[i] = repr(error)
        finally:
            client.close()

    threads = [threading.Thread(target=put, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL: SQLite runs one writer at a time, so two "
    "transactions never really race there",
)
def test_two_concurrent_puts_with_the_same_version_one_wins(
    personas: dict[str, Persona],
    engine: Engine,
) -> None:
    alice = personas["alice"]
    service_id = expect(alice.post("/services", json=service_body()), 201)["id"]
    failures = []
    for round_no in range(ROUNDS):
        etag = alice.get(f"/services/{service_id}").headers["etag"]
        version = int(etag.strip('"'))
        names = [f"Tour {round_no}, écrivain A", f"Tour {round_no}, écrivain B"]
        statuses = race(
            f"{URL}/services/{service_id}",
            {**alice.headers, "If-Match": etag},
            [service_body(name=name) for name in names],
        )
        with Session(engine) as session:
            row = session.get(Service, uuid.UUID(service_id))
            assert row is not None
            new_revisions = [
                (r.version, r.snapshot["name"])
                for r in session.exec(
                    select(Revision)
                    .where(Revision.entity_id == row.id, Revision.version > version)
                    .order_by(col(Revision.created_at))
                ).all()
            ]
        winners = [
            name for name, status in zip(names, statuses, strict=True) if status == 200
        ]
        outcome = {
            "round": round_no,
            "statuses": statuses,
            "version": f"{version} -> {row.version}",
            "name": row.name,
            "new_revisions": new_revisions,
        }
        if (
            sorted(statuses, key=str) != [200, 412]
            or row.name != winners[0]
            or row.version != version + 1
            or new_revisions != [(version + 1, winners[0])]
        ):
            failures.append(outcome)

    assert failures == [], (
        f"{len(failures)}/{ROUNDS} rounds let both writers through or lost a write"
    )


# --- 3. Hostile input ---------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def hostile(field: str) -> str:
    return f"{field} {SCRIPT} {IMG}"


def assert_escaped(html: str, values: list[str]) -> None:
    assert "<script>alert(1)" not in html and "<img src=x onerror" not in html
    for value in values:
        assert str(escape(value)) in html, value


def test_markup_is_stored_as_text_and_escaped_on_the_pages(
    personas: dict[str, Persona],
    client: TestClient,
) -> None:
    alice = personas["alice"]
    place_texts = {f: hostile(f"place.{f}") for f in ("name", "address", "commune")}
    service_texts = {
        f: hostile(f"service.{f}")
        for f in ("name", "falc_summary", "description", "fees_detail")
    }
    service_texts["email"] = f"{IMG.replace(' ', '')}{SCRIPT}@exemple.fr"
    note, reason = hostile("permanence.note"), hostile("closure.reason")

    place = expect(alice.post("/places", json=place_body(**place_texts)), 201)
    service = expect(alice.post("/services", json=service_body(**service_texts)), 201)
    ids = {"places": place["id"], "services": service["id"]}
    expect(alice.post("/permanences", json=permanence_body(ids, note=note)), 201)
    expect(alice.post("/closures", json=closure_body(ids, reason=reason)), 201)

    # Stored and returned as sent, to the partner and to the public.
    stored = expect(alice.get(f"/services/{service['id']}"), 200)
    assert {k: stored[k] for k in service_texts} == service_texts
    stored_place = expect(alice.get(f"/places/{place['id']}"), 200)
    assert {k: stored_place[k] for k in place_texts} == place_texts
    public = expect(client.get(f"/api/v1/services/{service['id']}"), 200)
    assert {k: public[k] for k in service_texts} == service_texts
    assert public["permanences"][0]["note"] == note
    assert {k: public["permanences"][0]["place"][k] for k in place_texts} == place_texts
    assert public["closures"][0]["reason"] == reason
    public_place = expect(client.get(f"/api/v1/places/{place['id']}"), 200)
    assert {k: public_place[k] for k in place_texts} == place_texts
    assert public_place["services"][0]["name"] == service_texts["name"]

    # Rendered escaped, never as markup.
    page = client.get(f"/fr/services/{service['id']}")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert_escaped(
        page.text, [*service_texts.values(), note, reason, *place_texts.values()]
    )
    place_page = client.get(f"/fr/lieux/{place['id']}")
    assert place_page.status_code == 200
    assert_escaped(place_page.text, [*place_texts.values(), service_texts["name"]])


# Far over every column, yet under the public body limit (256 KiB), so the
# field is refused by its own rule (a bigger body is a 413, tested elsewhere).
HUGE = "x" * 200_000
LONG_FIELDS = [
    ("places", "name"),
    ("places", "address"),
    ("places", "commune"),
    ("places", "opening_hours"),
    ("services", "name"),
    ("services", "falc_summary"),
    ("services", "description"),
    ("services", "fees_detail"),
    ("permanences", "note"),
    ("permanences", "opening_hours"),
    ("closures", "reason"),
]


@pytest.mark.parametrize(("resource", "field"), LONG_FIELDS)
def test_a_huge_string_is_refused_naming_the_field(
    personas: dict[str, Persona],
    alice_rows: Ids,
    engine: Engine,
    resource: str,
    field: str,
) -> None:
    alice = personas["alice"]
    row = f"/{resource}/{alice_rows[resource]}"
    before = counts(engine)
    calls = [
        ("POST", f"/{resource}", FULL[resource](alice_rows)),
        ("PUT", row, FULL[resource](alice_rows)),
        ("PATCH", row, {}),
    ]
    for method, path, body in calls:
        response = getattr(alice, method.lower())(
            path, json={**body, field: HUGE}, headers={"If-Match": '"1"'}
        )
        assert response.status_code == 422, (method, response.text[:300])
        errors = response.json()["detail"]
        assert [e["loc"] for e in errors] == [["body", field]], method
        assert errors[0]["type"] == "string_too_long"
        assert len(response.content) < 2000  # the input is not echoed back
    assert counts(engine) == before


def test_a_huge_string_in_bulk_stores_nothing(
    personas: dict[str, Persona],
    alice_rows: Ids,
    engine: Engine,
) -> None:
    before = counts(engine)
    response = personas["alice"].post(
        "/bulk",
        json={
            "places": [place_body(source_id="P-1", name="Renommé")],
            "services": [
                service_body(source_id="S-9"),
                service_body(source_id="S-10", description=HUGE),
            ],
        },
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["body", "services", 1, "description"]
    ]
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("method", "path", "body", "loc"),
    [
        # Opening hours that do not parse.
        (
            "POST",
            "/places",
            place_body(opening_hours="n'importe quand"),
            "opening_hours",
        ),
        (
            "POST",
            "/places",
            place_body(opening_hours="Mo 25:00-27:00"),
            "opening_hours",
        ),
        ("PATCH", "/places/{places}", {"opening_hours": SCRIPT}, "opening_hours"),
        (
            "POST",
            "/permanences",
            lambda ids: permanence_body(ids, opening_hours="lundi matin peut-être"),
            "opening_hours",
        ),
        (
            "PUT",
            "/permanences/{permanences}",
            lambda ids: permanence_body(ids, opening_hours="Mo 09:00-08:00:00"),
            "opening_hours",
        ),
        # Coordinates off the globe.
        ("POST", "/places", place_body(lat=91), "lat"),
        ("POST", "/places", place_body(lat=-91), "lat"),
        ("POST", "/places", place_body(lon=181), "lon"),
        ("POST", "/places", place_body(lon=-181), "lon"),
        # Python's json module reads these non-standard literals.
        ("POST", "/places", json.dumps(place_body(lat=float("nan"))), "lat"),
        ("POST", "/places", json.dumps(place_body(lon=float("-inf"))), "lon"),
        ("PATCH", "/places/{places}", {"lat": 91}, "lat"),
        ("PUT", "/places/{places}", place_body(lon=181), "lon"),
        # Codes outside the vocabularies.
        (
            "POST",
            "/services",
            service_body(categories=["pas-une-categorie"]),
            "categories",
        ),
        ("POST", "/services", service_body(categories=[SCRIPT]), "categories"),
        ("POST", "/services", service_body(publics=["martiens"]), "publics"),
        ("POST", "/services", service_body(type="inconnu"), "type"),
        ("PATCH", "/services/{services}", {"categories": ["pas-une"]}, "categories"),
        # Fields that do not exist, e.g. to move a row to another organisation.
        (
            "POST",
            "/places",
            place_body(organization_id=str(uuid.uuid4())),
            "organization_id",
        ),
        (
            "PATCH",
            "/services/{services}",
            {"organization_id": str(uuid.uuid4())},
            "organization_id",
        ),
        ("PATCH", "/services/{services}", {"version": 99}, "version"),
    ],
)
def test_invalid_values_are_422_naming_the_field_and_store_nothing(
    personas: dict[str, Persona],
    alice_rows: Ids,
    engine: Engine,
    method: str,
    path: str,
    body: Any,
    loc: str,
) -> None:
    before = counts(engine)
    if callable(body):
        body = body(alice_rows)
    sent = {"content": body} if isinstance(body, str) else {"json": body}
    response = getattr(personas["alice"], method.lower())(
        path.format(**alice_rows),
        headers={"If-Match": '"1"', "Content-Type": "application/json"},
        **sent,
    )
    assert response.status_code == 422, response.text
    locs = [e["loc"] for e in response.json()["detail"]]
    assert ["body", loc] in locs, locs
    assert counts(engine) == before


def test_bulk_with_one_bad_item_stores_nothing(
    personas: dict[str, Persona],
    alice_rows: Ids,
    engine: Engine,
) -> None:
    alice = personas["alice"]
    before = counts(engine)
    payload = {
        "places": [
            place_body(source_id="P-1", name="Renommé par bulk"),  # an update
            place_body(source_id="P-2"),
            place_body(source_id="P-3", lat=91),
        ],
        "services": [service_body(source_id="S-2")],
    }
    response = alice.post("/bulk", json=payload)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["body", "places", 2, "lat"]
    ]
    assert counts(engine) == before
    assert alice.get(f"/places/{alice_rows['places']}").json()["name"] == (
        "Maison de quartier"
    )


NOT_JSON = [
    ("pas du json", "application/json"),
    ('{"name": "Maison"', "application/json"),
    (b"\xff\xfe\x00\x01", "application/json"),
    ("[" * 100_000, "application/json"),
    ("", "application/json"),
    ("null", "application/json"),
    ("[]", "application/json"),
    ('"une chaîne"', "application/json"),
    ("name=Maison&commune=Tours", "application/x-www-form-urlencoded"),
    ("<place><name>Maison</name></place>", "application/xml"),
    ("Maison", "text/plain"),
]


@pytest.mark.parametrize("path", ["/places", "/places/{places}", "/bulk", "/confirm"])
def test_a_body_that_is_not_a_json_object_is_a_4xx(
    personas: dict[str, Persona],
    alice_rows: Ids,
    engine: Engine,
    path: str,
) -> None:
    alice = personas["alice"]
    method = alice.patch if "{" in path else alice.post
    before = counts(engine)
    outcomes = {}
    for content, content_type in NOT_JSON:
        response = method(
            path.format(**alice_rows),
            content=content,
            headers={"Content-Type": content_type, "If-Match": '"1"'},
        )
        outcomes[repr(content)[:30]] = response.status_code
    assert {k: v for k, v in outcomes.items() if not 400 <= v < 500} == {}
    assert counts(engine) == before


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_422_messages_follow_the_request_language(
    personas: dict[str, Persona],
    alice_rows: Ids,
    method: str,
) -> None:
    """Pydantic's messages are English; the API answers in the reader's language
    (French by default) through api/validation.py."""
    alice = personas["alice"]
    path, body = "/places", place_body(name="x" * 201)
    if method == "PATCH":
        path, body = f"/places/{alice_rows['places']}", {"name": "x" * 201}

    def message(lang: str | None) -> str:
        response = getattr(alice, method.lower())(
            path,
            json=body,
            params={"lang": lang} if lang else {},
            headers={"If-Match": '"1"'},
        )
        assert response.status_code == 422
        error = response.json()["detail"][0]
        assert error["loc"] == ["body", "name"]
        return str(error["msg"])

    # Written out: neither computed by the catalogs under test nor skipped
    # when the English one is missing.
    assert message(None) == "Au plus 200 caractères."
    assert message("en") == "At most 200 characters."


# --- 4. Moderation through the API -------------------------------------------


def moderate_territory(session: Session, place_id: str) -> None:
    """A coordinator whose territory (with moderation on) is the place's QPV."""
    place = session.get(Place, uuid.UUID(place_id))
    assert place is not None and place.qpv_code, "the test place must be in a QPV"
    coordinator = User(email="coordination@exemple.fr", name="Coordination")
    session.add(coordinator)
    session.flush()  # the scope's foreign key needs the user's row first
    session.add(
        CoordinatorScope(
            user_id=coordinator.id,
            name="Sanitas",
            qpv_codes=[place.qpv_code],
            moderation=True,
        )
    )
    session.commit()


def pending(session: Session, change_id: str) -> PendingChange:
    session.expire_all()
    change = session.get(PendingChange, uuid.UUID(change_id))
    assert change is not None
    return change


def test_moderated_changes_wait_for_a_coordinator(
    personas: dict[str, Persona],
    client: TestClient,
    session: Session,
) -> None:
    alice = personas["alice"]
    place = expect(alice.post("/places", json=place_body()), 201)
    published = expect(alice.post("/services", json=service_body()), 201)
    public_path = f"/api/v1/services/{published['id']}"
    assert expect(client.get(public_path), 200)["name"] == "Écrivain public"
    moderate_territory(session, place["id"])

    # A new published service is held back until approved.
    held = expect(
        alice.post("/services", json=service_body(name="Nouveau", status="published")),
        201,
    )
    assert held["status"] == "pending"
    assert client.get(f"/api/v1/services/{held['id']}").status_code == 404
    assert client.get(f"/fr/services/{held['id']}").status_code == 404
    publish = session.exec(
        select(PendingChange).where(PendingChange.entity_id == uuid.UUID(held["id"]))
    ).one()
    assert publish.action == "publish"

    # A change to a published one waits too; the public keeps the old text.
    response = alice.put(
        f"/services/{published['id']}",
        json=service_body(name="Écrivain public et numérique"),
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 202, response.text
    change_id = response.json()["pending_change"]
    assert expect(client.get(public_path), 200)["name"] == "Écrivain public"
    assert alice.get(f"/services/{published['id']}").headers["etag"] == '"1"'

    coordinator = Actor("user", "coord")
    moderation.approve(session, pending(session, change_id), coordinator)
    assert (
        expect(client.get(public_path), 200)["name"] == "Écrivain public et numérique"
    )
    assert alice.get(f"/services/{published['id']}").headers["etag"] == '"2"'
    moderation.approve(session, pending(session, str(publish.id)), coordinator)
    assert expect(client.get(f"/api/v1/services/{held['id']}"), 200)["name"] == (
        "Nouveau"
    )

    # Deleting a published service waits as well.
    deleted = alice.delete(f"/services/{published['id']}", headers={"If-Match": '"2"'})
    assert deleted.status_code == 202
    assert client.get(public_path).status_code == 200


UNAPPROVED = "Jamais validé"
Scenario = Callable[[Persona, dict[str, str]], str]


def attempt(response: Any) -> Any:
    """A step of a scenario: refusing it is fine, a stale version is the test's bug."""
    assert response.status_code < 500, response.text
    assert response.status_code not in (412, 428), response.text
    return response


def _put(state: str, **changes: Any) -> Scenario:
    def run(alice: Persona, ids: dict[str, str]) -> str:
        body = service_body(name=UNAPPROVED, status="published", **changes)
        path = f"/services/{ids[state]}"
        attempt(alice.put(path, json=body, headers={"If-Match": '"1"'}))
        return ids[state]

    return run


def _patch_draft(alice: Persona, ids: dict[str, str]) -> str:
    body = {"name": UNAPPROVED, "status": "published"}
    path = f"/services/{ids['draft']}"
    attempt(alice.patch(path, json=body, headers={"If-Match": '"1"'}))
    return ids["draft"]


def _bulk(source_id: str) -> Scenario:
    def run(alice: Persona, ids: dict[str, str]) -> str:
        body = {"services": [service_body(source_id=source_id, name=UNAPPROVED)]}
        return str(
            expect(alice.post("/bulk", json=body), 200)["ids"]["services"][source_id]
        )

    return run


def _leave_the_territory(how: str) -> Scenario:
    """Take the place out of the moderated territory (place writes are never
    held), edit the published service, then put the place back."""

    def run(alice: Persona, ids: dict[str, str]) -> str:
        place = f"/places/{ids['place']}"

        def current() -> dict[str, str]:
            return {"If-Match": alice.get(place).headers["etag"]}

        if how == "delete":
            attempt(alice.delete(place, headers=current()))
        else:
            away = place_body(lat=47.6160, lon=1.5170, insee_code="41034")
            attempt(alice.put(place, json=away, headers=current()))
        _put("approved")(alice, ids)
        if how == "delete":
            attempt(alice.post(f"{place}/restore", headers=current()))
        else:
            attempt(alice.put(place, json=place_body(), headers=current()))
        return ids["approved"]

    return run


# Ways a moderated partner might try to get text to the public unapproved.
BYPASSES: dict[str, Scenario] = {
    "PUT draft→published": _put("draft"),
    "PATCH draft→published": _patch_draft,
    "PUT pending→published": _put("pending"),
    "PUT published (held)": _put("approved"),
    "bulk create published": _bulk("S-new"),
    "bulk update published": _bulk("S-1"),
    "delete the place, PUT, restore": _leave_the_territory("delete"),
    "move the place away, PUT, move back": _leave_the_territory("move"),
}


@pytest.mark.parametrize("scenario", BYPASSES)
def test_nothing_reaches_the_public_unapproved_under_moderation(
    personas: dict[str, Persona],
    client: TestClient,
    session: Session,
    scenario: str,
) -> None:
    alice = personas["alice"]
    place = expect(alice.post("/places", json=place_body()), 201)
    approved = alice.post(
        "/services", json=service_body(source_id="S-1", name="Validé")
    )
    moderate_territory(session, place["id"])
    ids = {"place": place["id"], "approved": expect(approved, 201)["id"]}
    for status in ("draft", "pending"):
        body = service_body(name="Brouillon", status=status)
        ids[status] = expect(alice.post("/services", json=body), 201)["id"]

    service_id = BYPASSES[scenario](alice, ids)

    public = client.get(f"/api/v1/services/{service_id}")
    assert public.status_code == 404 or public.json()["name"] != UNAPPROVED, (
        f"{scenario}: public without a coordinator's approval"
    )
