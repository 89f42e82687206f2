"""place grants and organisation deletion requests

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 16:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('placegrant',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('place_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('granted_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('place_id', 'organization_id')
    )
    with op.batch_alter_table('placegrant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placegrant_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placegrant_place_id'), ['place_id'], unique=False)

    op.create_table('deletionrequest',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('deletionrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deletionrequest_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deletionrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deletionrequest_organization_id'))
    op.drop_table('deletionrequest')
    with op.batch_alter_table('placegrant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placegrant_place_id'))
        batch_op.drop_index(batch_op.f('ix_placegrant_organization_id'))
    op.drop_table('placegrant')
