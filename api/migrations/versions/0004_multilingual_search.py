"""multilingual search: synonyms per language, stemmed and fuzzy indexes

- synonym: a ``language`` column; a term is unique per language.
- search_document: a ``stems`` column (French stems of the document's words).
- SQLite: the FTS5 table gets that column (plurals and accents then match as
  on PostgreSQL), and an fts5vocab view of its words (``search_fts_vocab``)
  that spelling suggestions are drawn from.
- PostgreSQL: ``search_fts_words``, every distinct word of the documents
  (unaccented, unstemmed), kept by a trigger, for spelling suggestions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = "title, summary, body"
_NEW = "title, summary, body, stems"


def _fts_sqlite(columns: str) -> list[str]:
    values_new = ", ".join(f"new.{c.strip()}" for c in columns.split(","))
    values_old = ", ".join(f"old.{c.strip()}" for c in columns.split(","))
    return [
        f"""CREATE VIRTUAL TABLE search_fts USING fts5({columns},
            content='search_document', content_rowid='rowid',
            tokenize="unicode61 remove_diacritics 2")""",
        f"""CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
            INSERT INTO search_fts(rowid, {columns})
            VALUES (new.rowid, {values_new}); END""",
        f"""CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns})
            VALUES ('delete', old.rowid, {values_old}); END""",
        f"""CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns})
            VALUES ('delete', old.rowid, {values_old});
            INSERT INTO search_fts(rowid, {columns})
            VALUES (new.rowid, {values_new}); END""",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


_DROP_FTS_SQLITE = [
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
    "DROP TABLE search_fts",
]

_WORDS_POSTGRES_UP = [
    "CREATE TEXT SEARCH CONFIGURATION reperes_words (COPY = simple)",
    """ALTER TEXT SEARCH CONFIGURATION reperes_words
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple""",
    "CREATE TABLE search_fts_words (word text PRIMARY KEY)",
    # Insert-only: a word that left every document stays a candidate for
    # suggestions, which are only offered when the corrected search finds
    # something.
    """CREATE FUNCTION search_fts_words_add() RETURNS trigger AS $$
        BEGIN
            INSERT INTO search_fts_words (word)
            SELECT DISTINCT w FROM unnest(tsvector_to_array(to_tsvector(
                'reperes_words', NEW.title || ' ' || NEW.summary || ' ' || NEW.body
            ))) AS w
            WHERE length(w) BETWEEN 3 AND 40
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_document_words AFTER INSERT OR UPDATE
        ON search_document FOR EACH ROW EXECUTE FUNCTION search_fts_words_add()""",
    """INSERT INTO search_fts_words (word)
        SELECT DISTINCT w FROM search_document, unnest(tsvector_to_array(
            to_tsvector('reperes_words', title || ' ' || summary || ' ' || body)))
            AS w
        WHERE length(w) BETWEEN 3 AND 40
        ON CONFLICT DO NOTHING""",
]
_WORDS_POSTGRES_DOWN = [
    "DROP TRIGGER search_document_words ON search_document",
    "DROP FUNCTION search_fts_words_add()",
    "DROP TABLE search_fts_words",
    "DROP TEXT SEARCH CONFIGURATION reperes_words",
]


def _fill_stems() -> None:
    from api.services.search.text import index_stems

    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT rowid, title, summary, body FROM search_document")
    ).all()
    for rowid, title, summary, body in rows:
        bind.execute(
            sa.text("UPDATE search_document SET stems = :stems WHERE rowid = :rowid"),
            {"stems": index_stems(title, summary, body), "rowid": rowid},
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # SQLite cannot drop the unnamed UNIQUE (term): copy into a new table.
        op.rename_table("synonym", "synonym_old")
        op.create_table(
            "synonym",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("language", sa.String(length=8), nullable=False),
            sa.Column("term", sa.String(length=100), nullable=False),
            sa.Column("categories", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("language", "term"),
        )
        op.execute(
            "INSERT INTO synonym (id, language, term, categories) "
            "SELECT id, 'fr', term, categories FROM synonym_old"
        )
        op.drop_table("synonym_old")
        for statement in _DROP_FTS_SQLITE:
            op.execute(statement)
    else:
        op.add_column(
            "synonym",
            sa.Column(
                "language", sa.String(length=8), nullable=False, server_default="fr"
            ),
        )
        op.alter_column("synonym", "language", server_default=None)
        op.drop_constraint("synonym_term_key", "synonym", type_="unique")
        op.create_unique_constraint(None, "synonym", ["language", "term"])
    op.add_column(
        "search_document",
        sa.Column("stems", sa.Text(), nullable=False, server_default=""),
    )
    _fill_stems()
    if dialect == "sqlite":
        for statement in _fts_sqlite(_NEW):
            op.execute(statement)
        op.execute(
            "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'col')"
        )
    else:
        for statement in _WORDS_POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE search_fts_vocab")
        for statement in _DROP_FTS_SQLITE:
            op.execute(statement)
        with op.batch_alter_table("search_document") as batch:
            batch.drop_column("stems")
        for statement in _fts_sqlite(_OLD):
            op.execute(statement)
        op.rename_table("synonym", "synonym_new")
        op.create_table(
            "synonym",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("term", sa.String(length=100), nullable=False),
            sa.Column("categories", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("term"),
        )
        op.execute(
            "INSERT INTO synonym (id, term, categories) "
            "SELECT id, term, categories FROM synonym_new WHERE language = 'fr'"
        )
        op.drop_table("synonym_new")
        return
    for statement in _WORDS_POSTGRES_DOWN:
        op.execute(statement)
    op.drop_column("search_document", "stems")
    op.execute("DELETE FROM synonym WHERE language <> 'fr'")
    op.drop_constraint("synonym_language_term_key", "synonym", type_="unique")
    op.create_unique_constraint("synonym_term_key", "synonym", ["term"])
    op.drop_column("synonym", "language")
