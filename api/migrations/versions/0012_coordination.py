"""coordination

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hidden_query',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('hidden_by', sa.Uuid(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('query')
    )
    op.create_table('taught_synonym',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('synonym_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('categories', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['synonym_id'], ['synonym.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('taught_synonym', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taught_synonym_synonym_id'), ['synonym_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_taught_synonym_user_id'), ['user_id'], unique=False)

    op.create_table('reminder_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('sent_by', sa.Uuid(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['sent_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_sent_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_sent_organization_id'))
    op.drop_table('reminder_sent')
    with op.batch_alter_table('taught_synonym', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taught_synonym_user_id'))
        batch_op.drop_index(batch_op.f('ix_taught_synonym_synonym_id'))
    op.drop_table('taught_synonym')
    op.drop_table('hidden_query')
