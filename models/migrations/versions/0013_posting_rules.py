"""Posting rules: the posting_rules table; a voucher's approval_route and a voucher line's project_code

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('posting_rules',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('conditions', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_posting_rules_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_rules'))
    )
    with op.batch_alter_table('posting_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_rules_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_posting_rules_company_position', ['company_id', 'position'], unique=False)
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_route', sa.String(length=40), nullable=True))
    with op.batch_alter_table('voucher_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('project_code', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('voucher_lines', schema=None) as batch_op:
        batch_op.drop_column('project_code')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_column('approval_route')
    with op.batch_alter_table('posting_rules', schema=None) as batch_op:
        batch_op.drop_index('ix_posting_rules_company_position')
        batch_op.drop_index(batch_op.f('ix_posting_rules_company_id'))
    op.drop_table('posting_rules')
