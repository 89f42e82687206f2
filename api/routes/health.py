from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from api.db import is_reachable
from api.deps import SessionDep
from api.observability.readiness import current_revisions, head_revisions

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


class Readiness(BaseModel):
    status: str
    database: str
    migrations: str


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database is unreachable"}},
)
def healthz(session: SessionDep, response: Response) -> Health:
    """Liveness and database reachability, for load balancers and docker-compose."""
    if is_reachable(session.get_bind()):  # type: ignore[arg-type]
        return Health(status="ok", database="ok")
    response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="unavailable", database="unreachable")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={
        503: {
            "model": Readiness,
            "description": "The database is unreachable or not migrated to head",
        }
    },
)
def readyz(session: SessionDep, response: Response) -> Readiness:
    """Ready for traffic: the database answers and its migrations are at head
    (a new release's workers wait for `reperes db upgrade`)."""
    current = current_revisions(session.get_bind())  # type: ignore[arg-type]
    if current is None:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Readiness(
            status="unavailable", database="unreachable", migrations="unknown"
        )
    if current != head_revisions():
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Readiness(status="unavailable", database="ok", migrations="behind")
    return Readiness(status="ok", database="ok", migrations="head")
