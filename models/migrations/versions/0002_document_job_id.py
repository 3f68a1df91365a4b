"""documents.job_id: the rq job that may process the document

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("job_id", sa.String(length=200), nullable=True))
        batch.create_index("ix_documents_status_updated", ["status", "updated_at"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_status_updated")
        batch.drop_column("job_id")
