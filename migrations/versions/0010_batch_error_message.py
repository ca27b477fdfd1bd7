"""screening batches keep their error translatable (template and values beside the English)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 05:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screening_batch") as batch_op:
        batch_op.add_column(sa.Column("error_message", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_batch") as batch_op:
        batch_op.drop_column("error_message")
