"""title tsvector: PostgreSQL's title tier becomes an index lookup

The title tier (``sql.title_tier``) was ``tsv @@ 'word:*A'``: a GIN index
cannot filter on a weight, so a word found in most documents was a sequential
scan of every one of them (and the planner, seeing all of its matches, joined
the whole search_entry). A title-only tsvector with its own GIN index answers
the same question (a word of the title: weight A of ``tsv``) from the index.
SQLite: nothing (FTS5 has a title column already).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_UP = [
    """ALTER TABLE search_document ADD COLUMN title_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('reperes_fr', title)) STORED""",
    """CREATE INDEX ix_search_document_title_tsv ON search_document
        USING gin (title_tsv)""",
    "ANALYZE search_document",  # the tier's estimate comes from these statistics
]
POSTGRES_DOWN = [
    "DROP INDEX ix_search_document_title_tsv",
    "ALTER TABLE search_document DROP COLUMN title_tsv",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
