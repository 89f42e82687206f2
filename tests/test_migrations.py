from sqlalchemy import Engine, inspect

from api import db

TABLES = {
    "qpv",
    "organization",
    "place",
    "service",
    "permanence",
    "closure",
    "translation",
    "user",
    "membership",
    "coordinatorscope",
    "apitoken",
    "revision",
    "searchstat",
    "outreachaction",
}


def test_upgrade_creates_every_table_of_the_data_model(bare_engine: Engine) -> None:
    db.upgrade(bare_engine)
    assert TABLES <= db.table_names(bare_engine)


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(
    bare_engine: Engine,
) -> None:
    db.upgrade(bare_engine)
    db.downgrade(bare_engine, "base")
    assert db.table_names(bare_engine) & TABLES == set()
    db.upgrade(bare_engine)
    assert TABLES <= db.table_names(bare_engine)


def test_lookups_that_searches_need_are_indexed(engine: Engine) -> None:
    inspector = inspect(engine)
    place = {tuple(i["column_names"]) for i in inspector.get_indexes("place")}
    assert {("qpv_code",), ("near_qpv_code",), ("commune",), ("lat", "lon")} <= place
    unique = {
        tuple(c["column_names"]) for c in inspector.get_unique_constraints("service")
    }
    assert ("source", "source_id") in unique


def test_migrations_match_the_models(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": db.managed_by_models}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
