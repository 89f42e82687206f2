"""import fields: required documents, eligibility area, how to get referred

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.add_column(sa.Column('required_documents', sa.Text(), nullable=True))
        # Existing services are eligible everywhere: an empty list.
        batch.add_column(
            sa.Column(
                'eligibility_area',
                sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
                nullable=False,
                server_default='[]',
            )
        )
        batch.add_column(sa.Column('referral_how', sa.Text(), nullable=True))
        batch.add_column(
            sa.Column(
                'referral_link',
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=True,
            )
        )


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table where it cannot drop a column.
    with op.batch_alter_table('service') as batch:
        batch.drop_column('referral_link')
        batch.drop_column('referral_how')
        batch.drop_column('eligibility_area')
        batch.drop_column('required_documents')
