"""search speed: a covering index of the search points by place (the whole
directory's map counts places from the index alone)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_search_point_place_id", table_name="search_point")
    op.create_index(
        "ix_search_point_place_cover",
        "search_point",
        ["place_id", "lat", "lon", "entry_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_search_point_place_cover", table_name="search_point")
    op.create_index("ix_search_point_place_id", "search_point", ["place_id"])
