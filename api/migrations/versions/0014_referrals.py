"""referrals

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS = ('sent', 'accepted', 'declined', 'closed')


def upgrade() -> None:
    op.create_table('referral',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('service_id', sa.Uuid(), nullable=False),
    sa.Column('sender_organization_id', sa.Uuid(), nullable=False),
    sa.Column('receiver_organization_id', sa.Uuid(), nullable=False),
    sa.Column('sender_user_id', sa.Uuid(), nullable=True),
    sa.Column('sender_label', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('urgency', sa.Enum('normal', 'soon', 'urgent', name='urgency', native_enum=False), nullable=False),
    sa.Column('languages', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('status', sa.Enum(*STATUS, name='referralstatus', native_enum=False), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('need_secret', sa.Text(), nullable=True),
    sa.Column('first_name_secret', sa.Text(), nullable=True),
    sa.Column('contact_secret', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['receiver_organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['sender_organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['sender_user_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_receiver_organization_id'), ['receiver_organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_sender_organization_id'), ['sender_organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_status'), ['status'], unique=False)

    op.create_table('referralevent',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum(*STATUS, name='referralstatus', native_enum=False), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('actor_label', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('reason_secret', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('referralevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referralevent_referral_id'), ['referral_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('referralevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referralevent_referral_id'))
    op.drop_table('referralevent')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_status'))
        batch_op.drop_index(batch_op.f('ix_referral_service_id'))
        batch_op.drop_index(batch_op.f('ix_referral_sender_organization_id'))
        batch_op.drop_index(batch_op.f('ix_referral_receiver_organization_id'))
        batch_op.drop_index(batch_op.f('ix_referral_created_at'))
    op.drop_table('referral')
