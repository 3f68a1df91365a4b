"""Budgets per company, cost centre, account and period, and their movements (reserved, consumed, released) by
voucher

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ENTRY_REFERENCES = ("company_id", "budget_id", "voucher_id")


def upgrade() -> None:
    _create_budgets()
    _create_budget_entries()


def _create_budgets() -> None:
    op.create_table('budgets',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('cost_centre_code', sa.String(length=20), nullable=True),
    sa.Column('account_code', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('on_exceed', sa.String(length=5), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_budgets_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets')),
    sa.UniqueConstraint('company_id', 'cost_centre_code', 'account_code', 'period',
                        name=op.f('uq_budgets_company_id_cost_centre_code_account_code_period'))
    )
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budgets_company_id'), ['company_id'], unique=False)
        batch_op.create_index('uq_budgets_every_cost_centre', ['company_id', 'account_code', 'period'], unique=True,
                              postgresql_where=sa.text('cost_centre_code IS NULL'),
                              sqlite_where=sa.text('cost_centre_code IS NULL'))


def _create_budget_entries() -> None:
    op.create_table('budget_entries',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('budget_id', sa.Uuid(), nullable=False),
    sa.Column('voucher_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_budget_entries_budget_id_budgets')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_budget_entries_company_id_companies')),
    sa.ForeignKeyConstraint(['voucher_id'], ['vouchers.id'], name=op.f('fk_budget_entries_voucher_id_vouchers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_entries'))
    )
    with op.batch_alter_table('budget_entries', schema=None) as batch_op:
        for column in ENTRY_REFERENCES:
            batch_op.create_index(batch_op.f(f'ix_budget_entries_{column}'), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('budget_entries', schema=None) as batch_op:
        for column in reversed(ENTRY_REFERENCES):
            batch_op.drop_index(batch_op.f(f'ix_budget_entries_{column}'))
    op.drop_table('budget_entries')
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.drop_index('uq_budgets_every_cost_centre')
        batch_op.drop_index(batch_op.f('ix_budgets_company_id'))
    op.drop_table('budgets')
