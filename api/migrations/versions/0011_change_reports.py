"""change reports: « Signaler un changement » from the public listing pages

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('changereport',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('entity_type', sa.Enum('service', 'place', 'organization', name='reportedkind', native_enum=False, create_constraint=False, length=12), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('listing_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('topic', sa.Enum('hours', 'address', 'phone', 'closed', 'other', name='reporttopic', native_enum=False, create_constraint=False, length=7), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sa.Enum('new', 'in_progress', 'done', 'dismissed', name='reportstatus', native_enum=False, create_constraint=False, length=11), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('changereport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changereport_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_changereport_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_changereport_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_changereport_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('changereport', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changereport_created_at'))
        batch_op.drop_index(batch_op.f('ix_changereport_status'))
        batch_op.drop_index(batch_op.f('ix_changereport_entity_id'))
        batch_op.drop_index(batch_op.f('ix_changereport_organization_id'))
    op.drop_table('changereport')
