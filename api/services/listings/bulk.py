"""New rows by the thousand (the demo's translations), written as ``save`` would
write them one by one: the row at version 1 and its first revision.

``save`` builds and flushes an ORM object per row: 5,000 demo translations took
20 s that way, against well under a second in one multi-row INSERT per table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import JSON, Column, Connection, Date, DateTime, Dialect, Table, insert
from sqlmodel import Session

from api.models import Entity, Revision, utcnow
from api.services.listings.revisions import Actor

# Rows written by ``insert_new`` pass no flush: whatever follows writes
# (search index, result cache) hooks in here, as hook(session, model, rows).
InsertHook = Callable[[Session, type[Entity], Sequence[dict[str, Any]]], None]
_insert_hooks: list[InsertHook] = []


def on_insert(hook: InsertHook) -> InsertHook:
    """Register ``hook`` (a decorator); registering twice keeps one."""
    if hook not in _insert_hooks:
        _insert_hooks.append(hook)
    return hook


def insert_new(
    session: Session,
    model: type[Entity],
    rows: Sequence[dict[str, Any]],
    actor: Actor,
) -> None:
    """Insert new rows of ``model`` (its own fields; id, version and times are
    set here), each with its first revision, in one INSERT per table; the
    ``on_insert`` hooks (search index, result cache) hear of them."""
    if not rows:
        return
    now = utcnow()
    full = [
        {
            "id": uuid.uuid4(),
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "deleted_at": None,
            **row,
        }
        for row in rows
    ]
    revisions = []
    for row in full:
        values = to_jsonable_python(row)
        revisions.append(
            {
                "id": uuid.uuid4(),
                "entity_type": model.__tablename__,
                "entity_id": row["id"],
                "version": 1,
                "actor_type": actor.type,
                "actor_id": actor.id,
                "actor_label": actor.label,
                "created_at": now,
                "snapshot": values,
                "diff": {key: [None, value] for key, value in values.items()},
            }
        )
    session.execute(insert(model), full)
    session.execute(insert(Revision), revisions)
    for hook in _insert_hooks:
        hook(session, model, full)


class JsonText(str):
    """A JSON column's value already encoded (``pydantic_core.to_json``, in
    Rust): ``insert_rows`` passes it as it is instead of ``json.dumps``-ing
    a Python structure (revisions' snapshots and diffs, most of an import)."""


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    one_statement: bool = False,
) -> None:
    """``INSERT`` of many rows that all hold the same keys, through the
    driver's ``executemany``: each value converted by its column type once,
    without SQLAlchemy's per-row parameter building (a third of an import's
    time). Column defaults are not applied: the rows must hold every column
    that has one.

    ``one_statement`` (SQLite; tables whose triggers feed FTS5 or R*Tree):
    multi-row ``VALUES``, a few thousand rows per statement. Those virtual
    tables flush their pending work at the end of every statement, so an
    ``executemany`` paid that flush once per row (search documents: 5 s of
    a 50,000-service import, 1.4 s this way)."""
    if not rows:
        return
    connection = session.connection()
    statement, order, positional = _compiled(table, tuple(rows[0]), connection.dialect)
    columns = []  # column by column: one loop per column, not per value
    for key in order:
        values = list(map(itemgetter(key), rows))
        convert = _converter(table.c[key], connection.dialect)
        columns.append(list(map(convert, values)) if convert else values)
    params: list[Any] = list(zip(*columns, strict=True))
    if one_statement and connection.dialect.name == "sqlite" and positional:
        _insert_multi_values(connection, statement, params)
        return
    if not positional:
        params = [dict(zip(order, values, strict=True)) for values in params]
    connection.exec_driver_sql(statement, params)


_SQLITE_VARIABLES = 32_766  # SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32


def _insert_multi_values(
    connection: Connection, statement: str, params: list[tuple[Any, ...]]
) -> None:
    head, _, group = statement.rpartition(" VALUES ")
    per_statement = max(1, min(2000, _SQLITE_VARIABLES // len(params[0])))
    for start in range(0, len(params), per_statement):
        chunk = params[start : start + per_statement]
        text = f"{head} VALUES {', '.join([group] * len(chunk))}"
        connection.exec_driver_sql(text, tuple(v for row in chunk for v in row))


@lru_cache(maxsize=256)
def _compiled(
    table: Table, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, list[str], bool]:
    """The INSERT's text and its parameters' order (compiled once per table
    and set of keys: the search index's small batches pass here too)."""
    missing = [c.key for c in table.c if c.key not in keys and c.default is not None]
    if missing:
        raise ValueError(f"{table.name}: no value for {missing}")
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    order = list(compiled.positiontup or keys) if compiled.positional else list(keys)
    return compiled.string, order, bool(compiled.positional)


def _converter(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    if isinstance(column.type, JSON):
        return lambda value: str(value) if type(value) is JsonText else process(value)
    if isinstance(getattr(column.type, "impl", column.type), (Date, DateTime)):
        # An import's rows share a handful of dates and times (``now``):
        # each converted once, not once per row.
        return lru_cache(maxsize=64)(process)
    return process
