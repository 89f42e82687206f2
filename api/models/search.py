"""Derived search index: rebuilt from the directory, never edited by hand.

``SearchDocument`` holds the text each service is found by; SQLite indexes it
with an FTS5 table, PostgreSQL with a generated ``tsv`` column (both created by
migration 0002, outside these models). ``ServiceFacet`` holds the values filters
match on (themes with their parent category, publics, languages, QPVs, communes,
wheelchair access), so every filter is an indexed lookup on both back-ends.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.common import json_list


class SearchDocument(SQLModel, table=True):
    __tablename__ = "search_document"

    # Integer key: FTS5 external-content tables address rows by integer rowid.
    rowid: int | None = Field(default=None, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", unique=True)
    title: str = Field(sa_type=Text)  # service and organisation names
    summary: str = Field(sa_type=Text)  # FALC summary, theme labels
    body: str = Field(sa_type=Text)  # description, translations
    # French stems of every word above, for SQLite (PostgreSQL stems in its
    # tsvector): the FTS5 "stems" column.
    stems: str = Field(default="", sa_type=Text)
    # Grid-cell words of its public places and its themes' and publics' words
    # (search/tags.py): SQLite's FTS5 "tags" column, so near me the words
    # typed, the themes they mean and the places meet in one query.
    tags: str = Field(default="", sa_type=Text)


class ServiceFacet(SQLModel, table=True):
    __tablename__ = "service_facet"
    __table_args__ = (Index("ix_service_facet_lookup", "facet", "value", "service_id"),)

    service_id: uuid.UUID = Field(foreign_key="service.id", primary_key=True)
    facet: str = Field(primary_key=True, max_length=16)
    value: str = Field(primary_key=True, max_length=120)


class Synonym(SQLModel, table=True):
    """An everyday word or phrase, in one language, that means a theme
    ("manger" -> food aid, "محامي" -> legal aid).

    Coordinators extend the list; ``term`` is stored folded (lower-case, no
    accents on Latin letters). ``language`` is the interface code (fr, ar, fa…):
    searches look terms up in every language.
    """

    __table_args__ = (UniqueConstraint("language", "term"),)

    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(default="fr", max_length=8)
    term: str = Field(max_length=100)
    categories: list[str] = json_list()  # theme codes or whole categories
