"""POST /api/v1/falc/check: easy-to-read feedback on a text, for any form."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.routes.http import INVALID, NOT_JSON, LangDep
from api.services.falc import check, score

router = APIRouter(prefix="/falc", tags=["falc"])


class FalcText(BaseModel):
    text: Annotated[str, Field(max_length=5000, description="French text to check.")]


class FalcFinding(BaseModel):
    rule: str = Field(description="Rule id, e.g. `sentence-too-long`.")
    level: str = Field(description="`error` (must fix) or `warning` (should fix).")
    start: int = Field(description="Offset of the span in the text.")
    end: int
    message: str = Field(description="What is wrong, in plain words, in `lang`.")
    suggestion: str | None


class FalcReport(BaseModel):
    score: int = Field(description="100 when there is nothing to fix.")
    findings: list[FalcFinding]


@router.post("/check", response_model=FalcReport, responses={**INVALID, **NOT_JSON})
def falc_check(body: FalcText, lang: LangDep) -> FalcReport:
    """Check a text against easy-to-read French rules; nothing is stored."""
    findings = check(body.text)
    return FalcReport(
        score=score(findings),
        findings=[FalcFinding(**f.as_dict()) for f in findings],
    )
