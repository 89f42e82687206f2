from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from api.db import is_reachable
from api.deps import SessionDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


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
