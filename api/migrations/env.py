"""Alembic environment: migrations run on the connection api.db hands over."""

from alembic import context
from sqlmodel import SQLModel

import api.models  # noqa: F401  (registers every table on SQLModel.metadata)
from api.db import managed_by_models

connection = context.config.attributes["connection"]
# The version table goes in the connection's own schema, so databases that share
# a search_path (one schema per test run) never see each other's version.
context.configure(
    connection=connection,
    version_table_schema=(
        connection.dialect.default_schema_name
        if connection.dialect.name == "postgresql"
        else None
    ),
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=managed_by_models,
)
with context.begin_transaction():
    context.run_migrations()
