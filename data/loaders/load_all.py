"""``reperes load-demo``: QPVs, synonyms, France services, the demo directory
and its « aller vers » rows."""

from __future__ import annotations

from rich.progress import Progress
from sqlmodel import Session

from api.services.listings.revisions import Actor
from api.services.listings.upsert import ImportReport
from data.loaders.demo import load_demo_directory, read_demo
from data.loaders.france_services import load_france_services
from data.loaders.outreach_demo import load_outreach_demo
from data.loaders.paths import (
    DEMO_DIRECTORY,
    FRANCE_SERVICES_CSV,
    QPV_GEOJSON,
    SYNONYMS,
)
from data.loaders.qpv import load_qpvs
from data.loaders.synonyms import load_synonyms

LOADER = Actor("system", "reperes load-demo")


def load_everything(session: Session, progress: Progress | None = None) -> ImportReport:
    """Load all shipped data in one transaction; running it twice changes nothing."""
    report = ImportReport()
    steps = len(read_demo(DEMO_DIRECTORY)) + 2
    task = progress.add_task("Loading", total=steps) if progress else None

    def advance() -> None:
        if progress is not None and task is not None:
            progress.advance(task)

    load_qpvs(session, QPV_GEOJSON, report)
    load_synonyms(session, SYNONYMS, report)
    advance()
    load_france_services(session, FRANCE_SERVICES_CSV, LOADER, report)
    advance()
    load_demo_directory(session, DEMO_DIRECTORY, LOADER, report, advance)
    session.flush()
    load_outreach_demo(session, LOADER, report)
    session.commit()
    return report
