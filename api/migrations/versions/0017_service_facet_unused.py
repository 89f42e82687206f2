"""service_facet unused: its rows go

``service_facet`` held each indexed service's facets keyed by its UUID, a
copy of ``search_facet`` (keyed by entry). Exports and calendar feeds now
read ``search_facet``, and neither the index nor an import writes the old
table any more (its three UUID-keyed B-trees were a sixth of a 100,000-service
import). The table stays, empty, for the benches that still read old
databases; its rows are dropped here so that nothing stale outlives them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 01:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM service_facet")


def downgrade() -> None:
    # Refilled from search_facet: what it held (facets of indexed services).
    op.execute(
        "INSERT INTO service_facet (service_id, facet, value) "
        "SELECT e.service_id, f.facet, f.value FROM search_facet f "
        "JOIN search_entry e ON e.id = f.entry_id"
    )
