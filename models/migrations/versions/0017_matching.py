"""Matching bank lines to open items: matches and what each takes off its open items, the counterparty aliases
confirmations taught, and each company's reconciliation settings

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('counterparty_aliases',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('vendor_id', sa.Uuid(), nullable=False),
    sa.Column('confirmations', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_counterparty_aliases_company_id_companies')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_counterparty_aliases_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counterparty_aliases')),
    sa.UniqueConstraint('company_id', 'kind', 'value', 'vendor_id', name=op.f('uq_counterparty_aliases_company_id_kind_value_vendor_id'))
    )
    with op.batch_alter_table('counterparty_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counterparty_aliases_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counterparty_aliases_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('reconciliation_settings',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('auto_threshold', sa.Float(), nullable=False),
    sa.Column('suggest_threshold', sa.Float(), nullable=False),
    sa.Column('tolerance_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tolerance_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('days_before_issue', sa.Integer(), nullable=False),
    sa.Column('days_after_due', sa.Integer(), nullable=False),
    sa.Column('alias_confirmations', sa.Integer(), nullable=False),
    sa.Column('bank_account_code', sa.String(length=20), nullable=True),
    sa.Column('fee_account_code', sa.String(length=20), nullable=True),
    sa.Column('discount_account_code', sa.String(length=20), nullable=True),
    sa.Column('rounding_account_code', sa.String(length=20), nullable=True),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_reconciliation_settings_company_id_companies')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_reconciliation_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliation_settings')),
    sa.UniqueConstraint('company_id', name=op.f('uq_reconciliation_settings_company_id'))
    )
    op.create_table('matches',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('transaction_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('difference', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('difference_kind', sa.String(length=20), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('clearing_voucher_id', sa.Uuid(), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clearing_voucher_id'], ['vouchers.id'], name=op.f('fk_matches_clearing_voucher_id_vouchers')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_matches_company_id_companies')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_matches_decided_by_id_users')),
    sa.ForeignKeyConstraint(['transaction_id'], ['bank_transactions.id'], name=op.f('fk_matches_transaction_id_bank_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matches'))
    )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matches_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_matches_company_status', ['company_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_matches_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('match_allocations',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('match_id', sa.Uuid(), nullable=False),
    sa.Column('open_item_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_match_allocations_company_id_companies')),
    sa.ForeignKeyConstraint(['match_id'], ['matches.id'], name=op.f('fk_match_allocations_match_id_matches')),
    sa.ForeignKeyConstraint(['open_item_id'], ['open_items.id'], name=op.f('fk_match_allocations_open_item_id_open_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_allocations'))
    )
    with op.batch_alter_table('match_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_allocations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_allocations_match_id'), ['match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_allocations_open_item_id'), ['open_item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('match_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_allocations_open_item_id'))
        batch_op.drop_index(batch_op.f('ix_match_allocations_match_id'))
        batch_op.drop_index(batch_op.f('ix_match_allocations_company_id'))

    op.drop_table('match_allocations')
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matches_transaction_id'))
        batch_op.drop_index('ix_matches_company_status')
        batch_op.drop_index(batch_op.f('ix_matches_company_id'))

    op.drop_table('matches')
    op.drop_table('reconciliation_settings')
    with op.batch_alter_table('counterparty_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counterparty_aliases_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_counterparty_aliases_company_id'))

    op.drop_table('counterparty_aliases')
