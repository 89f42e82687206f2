""""aller vers": outreach actions extended, anonymous rights checks, registrations

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
OUTREACH_LISTS = ('partners', 'oriented_to', 'oriented_services', 'languages')


def _list(name: str) -> sa.Column:
    return sa.Column(name, JSON, nullable=False, server_default='[]')


def upgrade() -> None:
    with op.batch_alter_table('outreachaction') as batch:
        for name in OUTREACH_LISTS:
            batch.add_column(_list(name))
        batch.add_column(
            sa.Column(
                'client_ref',
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=True,
            )
        )
        batch.create_unique_constraint(
            'outreachaction_client_ref_key', ['client_ref']
        )
    with op.batch_alter_table('outreachaction') as batch:
        for name in OUTREACH_LISTS:
            batch.alter_column(name, server_default=None)

    op.create_table('rightscheck',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('qpv_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('discussed', JSON, nullable=False),
    sa.Column('mobilised', JSON, nullable=False),
    sa.Column('not_mobilised', JSON, nullable=False),
    sa.Column('reasons', JSON, nullable=False),
    sa.Column('confidence_before', sa.Integer(), nullable=True),
    sa.Column('confidence_after', sa.Integer(), nullable=True),
    sa.Column('proposed', JSON, nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('client_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_ref')
    )
    with op.batch_alter_table('rightscheck') as batch:
        batch.create_index(batch.f('ix_rightscheck_day'), ['day'], unique=False)
        batch.create_index(batch.f('ix_rightscheck_qpv_code'), ['qpv_code'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('qpv_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('new_registrations', sa.Integer(), nullable=False),
    sa.Column('first_visits', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organization_id', 'month', 'qpv_code')
    )
    with op.batch_alter_table('registration') as batch:
        batch.create_index(
            batch.f('ix_registration_organization_id'), ['organization_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('registration') as batch:
        batch.drop_index(batch.f('ix_registration_organization_id'))
    op.drop_table('registration')
    with op.batch_alter_table('rightscheck') as batch:
        batch.drop_index(batch.f('ix_rightscheck_qpv_code'))
        batch.drop_index(batch.f('ix_rightscheck_day'))
    op.drop_table('rightscheck')
    with op.batch_alter_table('outreachaction') as batch:
        batch.drop_constraint('outreachaction_client_ref_key', type_='unique')
        batch.drop_column('client_ref')
        for name in reversed(OUTREACH_LISTS):
            batch.drop_column(name)
