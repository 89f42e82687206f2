"""POST /api/v1/falc/check: easy-to-read feedback on a text, for any form."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from api.deps import SettingsDep
from api.routes.http import INVALID, NOT_JSON, ErrorModel, LangDep
from api.services.content.falc import check, score
from api.services.system.ratelimit import client_ip, limiter_for, too_many

# Checks per client address and minute: plenty for people typing in a few
# forms behind one shared address (the partner forms check after each pause),
# a wall for a script using the checker as free CPU.
PER_IP, WINDOW = 60, 60

TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {
        "model": ErrorModel,
        "description": "Too many checks from this address; wait Retry-After seconds",
    }
}


def rate_limited(request: Request, settings: SettingsDep) -> None:
    """Counted before the body is read: invalid bodies count too."""
    wait = limiter_for(settings).hit(f"falc:ip:{client_ip(request)}", PER_IP, WINDOW)
    if wait:
        raise too_many(wait)


router = APIRouter(prefix="/falc", tags=["falc"])


class FalcText(BaseModel):
    text: Annotated[str, Field(max_length=5000, description="French text to check.")]


class FalcFinding(BaseModel):
    rule: str = Field(description="Rule id, e.g. `sentence-too-long`.")
    level: str = Field(description="`error` (must fix) or `warning` (should fix).")
    start: int = Field(
        description="Offset of the span in the text, in code points (not UTF-16)."
    )
    end: int
    message: str = Field(description="What is wrong, in plain words, in `lang`.")
    suggestion: str | None


class FalcReport(BaseModel):
    score: int = Field(description="100 when there is nothing to fix.")
    findings: list[FalcFinding]


@router.post(
    "/check",
    response_model=FalcReport,
    responses={**INVALID, **NOT_JSON, **TOO_MANY},
    dependencies=[Depends(rate_limited)],
)
def falc_check(body: FalcText, lang: LangDep) -> FalcReport:
    """Check a text against easy-to-read French rules; nothing is stored.

    Public, limited to 60 checks a minute per client address (`429` with
    `Retry-After` beyond)."""
    findings = check(body.text)
    return FalcReport(
        score=score(findings),
        findings=[FalcFinding(**f.as_dict()) for f in findings],
    )
