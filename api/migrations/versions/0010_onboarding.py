"""onboarding: organisations' join and claim requests; temporary passwords

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organizationrequest',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('join', 'claim', 'created', name='requestkind', native_enum=False, create_constraint=False, length=7), nullable=False),
    sa.Column('decider', sa.Enum('coordination', 'owners', name='decider', native_enum=False, create_constraint=False, length=12), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True),
    sa.Column('insee_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='requeststatus', native_enum=False, create_constraint=False, length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organizationrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizationrequest_insee_code'), ['insee_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizationrequest_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizationrequest_status'), ['status'], unique=False)

    # Existing accounts chose their password (or were told to change it).
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('organizationrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizationrequest_status'))
        batch_op.drop_index(batch_op.f('ix_organizationrequest_organization_id'))
        batch_op.drop_index(batch_op.f('ix_organizationrequest_insee_code'))
    op.drop_table('organizationrequest')
