"""search tags: where a service is held and its themes, as words of its document

``search_document.tags``: the grid-cell words of the service's public places
(0.01° × 0.0148° cells, about 1.1 km square) and the words of its theme and
public codes (``api/services/search/tags.py``). SQLite's full-text table gets
the column, so a search near me is one FTS5 query of the words typed (or the
themes they mean) AND the cells around the circle. The words are computed
here in SQL, the same as ``tags.document_tags``. PostgreSQL stores the column
too (same model) but its search uses its GiST index.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = ("title", "summary", "body", "stems")
_NEW = (*_OLD, "tags")


def _fts(columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE search_fts USING fts5({names},
            content='search_document', content_rowid='rowid',
            tokenize="unicode61 remove_diacritics 2")""",
        f"""CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
            INSERT INTO search_fts(rowid, {names}) VALUES (new.rowid, {new}); END""",
        f"""CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.rowid, {old}); END""",
        f"""CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.rowid, {old});
            INSERT INTO search_fts(rowid, {names}) VALUES (new.rowid, {new}); END""",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
        "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'col')",
    ]


_DROP_FTS = [
    "DROP TABLE search_fts_vocab",
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
    "DROP TABLE search_fts",
]


def _cell(row: str, column: str) -> str:
    text = "CAST(CAST({} AS INTEGER) AS TEXT)"
    return (
        f"'gc' || replace({text.format(row)}, '-', 'm') || 'x' || "
        f"replace({text.format(column)}, '-', 'm')"
    )


_WORDS = (
    f"SELECT {_cell('floor(p.lat / 0.01)', 'floor(p.lon / 0.0148)')} AS word "
    "FROM search_point p WHERE p.entry_id = search_document.rowid UNION "
    "SELECT CASE f.facet WHEN 'category' THEN 'tc' ELSE 'tp' END "
    "|| replace(f.value, '-', '') FROM search_facet f "
    "WHERE f.entry_id = search_document.rowid AND f.facet IN ('category', 'public')"
)


def _fill(dialect: str) -> None:
    if dialect == "sqlite":
        joined = f"SELECT group_concat(word, ' ') FROM ({_WORDS} ORDER BY word)"
    else:
        joined = f"SELECT string_agg(word, ' ' ORDER BY word) FROM ({_WORDS}) AS w"
    op.execute(f"UPDATE search_document SET tags = coalesce(({joined}), '')")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _DROP_FTS:
            op.execute(statement)
    op.add_column(
        "search_document",
        sa.Column("tags", sa.Text(), nullable=False, server_default=""),
    )
    _fill(dialect)
    if dialect == "sqlite":
        for statement in _fts(_NEW):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _DROP_FTS:
            op.execute(statement)
    op.drop_column("search_document", "tags")
    if dialect == "sqlite":
        for statement in _fts(_OLD):
            op.execute(statement)
