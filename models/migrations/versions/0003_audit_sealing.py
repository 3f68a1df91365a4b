"""Audit events are recorded unsealed and linked into the chain by a sealer; chain heads per company

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=True)
    op.create_index("ix_audit_events_unsealed", "audit_events", ["company_id", "at"],
                    postgresql_where=sa.text("seq IS NULL"), sqlite_where=sa.text("seq IS NULL"))
    op.create_table(
        "audit_chain_heads",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_audit_chain_heads_company_id_companies")),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_audit_chain_heads")),
    )
    op.execute("""
        INSERT INTO audit_chain_heads (company_id, seq, hash)
        SELECT e.company_id, e.seq, e.hash FROM audit_events e
        WHERE e.seq = (SELECT MAX(l.seq) FROM audit_events l WHERE l.company_id = e.company_id)
    """)


def downgrade() -> None:
    op.drop_table("audit_chain_heads")
    op.drop_index("ix_audit_events_unsealed", table_name="audit_events")
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
