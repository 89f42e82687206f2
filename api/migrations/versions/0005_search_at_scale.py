"""search at scale: narrow search tables, spatial index, open intervals

Narrow integer-keyed tables a search filters, sorts and pages on (see
api/models/search_scale.py), the distinct opening-hours rules, and the version
counter result caches are keyed by. Spatial index: SQLite an R*Tree over the
points, kept in step by triggers; PostgreSQL a GiST index on the built-in
``point(lon, lat)`` (no extension needed, so any PostgreSQL image has it).
The tables are filled by ``reperes reindex`` (and by every write after).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_point_rtree USING rtree(
        id, min_lat, max_lat, min_lon, max_lon)""",
    """CREATE TRIGGER search_point_ai AFTER INSERT ON search_point BEGIN
        INSERT INTO search_point_rtree VALUES (new.id, new.lat, new.lat,
        new.lon, new.lon); END""",
    """CREATE TRIGGER search_point_ad AFTER DELETE ON search_point BEGIN
        DELETE FROM search_point_rtree WHERE id = old.id; END""",
    """CREATE TRIGGER search_point_au AFTER UPDATE ON search_point BEGIN
        UPDATE search_point_rtree SET min_lat = new.lat, max_lat = new.lat,
        min_lon = new.lon, max_lon = new.lon WHERE id = new.id; END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER search_point_au",
    "DROP TRIGGER search_point_ad",
    "DROP TRIGGER search_point_ai",
    "DROP TABLE search_point_rtree",
]
POSTGRES_UP = [
    "CREATE INDEX ix_search_point_gist ON search_point USING gist (point(lon, lat))",
]
POSTGRES_DOWN = ["DROP INDEX ix_search_point_gist"]


def upgrade() -> None:
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("free", sa.Boolean(), nullable=False),
        sa.Column("appointment_required", sa.Boolean(), nullable=False),
        sa.Column("referral_required", sa.Boolean(), nullable=False),
        sa.Column("sort_key", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_id"),
    )
    op.create_index(
        "ix_search_entry_organization_id", "search_entry", ["organization_id"]
    )
    op.create_index("ix_search_entry_sort_key", "search_entry", ["sort_key", "id"])
    op.create_index("ix_search_entry_updated", "search_entry", ["updated_at", "id"])
    op.create_table(
        "search_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opening_hours", sa.String(length=1000), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_hours_rule", "search_hours", ["opening_hours", "anchor"])
    op.create_table(
        "search_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO search_version (id, version) VALUES (1, 0)")
    op.create_table(
        "search_facet",
        sa.Column("facet", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["search_entry.id"]),
        sa.PrimaryKeyConstraint("facet", "value", "entry_id"),
    )
    op.create_index(
        "ix_search_facet_entry", "search_facet", ["entry_id", "facet", "value"]
    )
    op.create_table(
        "search_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Uuid(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["search_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_point_entry_id", "search_point", ["entry_id"])
    op.create_index("ix_search_point_place_id", "search_point", ["place_id"])
    op.create_table(
        "search_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("hours_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Uuid(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["search_entry.id"]),
        sa.ForeignKeyConstraint(["hours_id"], ["search_hours.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_slot_entry_id", "search_slot", ["entry_id"])
    op.create_index("ix_search_slot_hours", "search_slot", ["hours_id", "entry_id"])
    for statement in SQLITE_UP if _sqlite() else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if _sqlite() else POSTGRES_DOWN:
        op.execute(statement)
    op.drop_index("ix_search_slot_hours", table_name="search_slot")
    op.drop_index("ix_search_slot_entry_id", table_name="search_slot")
    op.drop_table("search_slot")
    op.drop_index("ix_search_point_place_id", table_name="search_point")
    op.drop_index("ix_search_point_entry_id", table_name="search_point")
    op.drop_table("search_point")
    op.drop_index("ix_search_facet_entry", table_name="search_facet")
    op.drop_table("search_facet")
    op.drop_table("search_version")
    op.drop_index("ix_search_hours_rule", table_name="search_hours")
    op.drop_table("search_hours")
    op.drop_index("ix_search_entry_updated", table_name="search_entry")
    op.drop_index("ix_search_entry_sort_key", table_name="search_entry")
    op.drop_index("ix_search_entry_organization_id", table_name="search_entry")
    op.drop_table("search_entry")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"
