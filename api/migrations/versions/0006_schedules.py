"""schedules: anchored every-other-week permanences

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: existing permanences keep plain ISO week parity.
    with op.batch_alter_table('permanence') as batch:
        batch.add_column(sa.Column('biweekly_anchor', sa.Date(), nullable=True))


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table where it cannot drop a column.
    with op.batch_alter_table('permanence') as batch:
        batch.drop_column('biweekly_anchor')
