"""outbox.queue_name: the queue lane a job goes to

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("queue_name", sa.String(length=50), nullable=False, server_default="default"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("queue_name")
