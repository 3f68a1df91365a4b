"""Bank statements: bank accounts, the statements imported for them, their transactions (unique per account by
fingerprint, so an overlapping statement adds no line twice), and the CSV/Excel column profiles

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bank_accounts',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('identifier', sa.String(length=70), nullable=False),
    sa.Column('iban', sa.String(length=34), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ledger_account_code', sa.String(length=20), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_bank_accounts_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_accounts')),
    sa.UniqueConstraint('company_id', 'identifier', name=op.f('uq_bank_accounts_company_id_identifier'))
    )
    with op.batch_alter_table('bank_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_accounts_company_id'), ['company_id'], unique=False)

    op.create_table('csv_profiles',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('date_format', sa.String(length=30), nullable=False),
    sa.Column('decimal_separator', sa.String(length=1), nullable=False),
    sa.Column('delimiter', sa.String(length=1), nullable=True),
    sa.Column('encoding', sa.String(length=30), nullable=False),
    sa.Column('skip_rows', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('debit_marks', sa.JSON(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('account', sa.String(length=70), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_csv_profiles_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_csv_profiles')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_csv_profiles_company_id_name'))
    )
    with op.batch_alter_table('csv_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csv_profiles_company_id'), ['company_id'], unique=False)

    op.create_table('bank_statements',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('blob_key', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('opening_balance', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('opening_date', sa.Date(), nullable=True),
    sa.Column('closing_balance', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('closing_date', sa.Date(), nullable=True),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('transaction_count', sa.Integer(), nullable=False),
    sa.Column('duplicate_count', sa.Integer(), nullable=False),
    sa.Column('imported_by_id', sa.Uuid(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['bank_accounts.id'], name=op.f('fk_bank_statements_account_id_bank_accounts')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_bank_statements_company_id_companies')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_bank_statements_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statements')),
    sa.UniqueConstraint('company_id', 'sha256', 'position', name=op.f('uq_bank_statements_company_id_sha256_position'))
    )
    with op.batch_alter_table('bank_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_statements_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statements_company_id'), ['company_id'], unique=False)

    op.create_table('bank_transactions',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('statement_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('booking_date', sa.Date(), nullable=False),
    sa.Column('value_date', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('counterparty_name', sa.String(length=200), nullable=True),
    sa.Column('counterparty_iban', sa.String(length=34), nullable=True),
    sa.Column('remittance', sa.Text(), nullable=False),
    sa.Column('reference_tokens', sa.JSON(), nullable=False),
    sa.Column('creditor_reference', sa.String(length=35), nullable=True),
    sa.Column('end_to_end_id', sa.String(length=100), nullable=True),
    sa.Column('bank_reference', sa.String(length=100), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['bank_accounts.id'], name=op.f('fk_bank_transactions_account_id_bank_accounts')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_bank_transactions_company_id_companies')),
    sa.ForeignKeyConstraint(['statement_id'], ['bank_statements.id'], name=op.f('fk_bank_transactions_statement_id_bank_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_transactions')),
    sa.UniqueConstraint('account_id', 'fingerprint', name=op.f('uq_bank_transactions_account_id_fingerprint'))
    )
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_transactions_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transactions_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_bank_transactions_company_status', ['company_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transactions_statement_id'), ['statement_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_transactions_statement_id'))
        batch_op.drop_index('ix_bank_transactions_company_status')
        batch_op.drop_index(batch_op.f('ix_bank_transactions_company_id'))
        batch_op.drop_index(batch_op.f('ix_bank_transactions_account_id'))

    op.drop_table('bank_transactions')
    with op.batch_alter_table('bank_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_statements_company_id'))
        batch_op.drop_index(batch_op.f('ix_bank_statements_account_id'))

    op.drop_table('bank_statements')
    with op.batch_alter_table('csv_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csv_profiles_company_id'))

    op.drop_table('csv_profiles')
    with op.batch_alter_table('bank_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_accounts_company_id'))

    op.drop_table('bank_accounts')
