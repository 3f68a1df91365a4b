"""Vouchers: exchange rates, accounting periods, open items; a voucher's base currency and rate, its posting and
reversal; a line's base-currency amounts, the source it was read from and its cost centre; accounts' spending
categories; the company's post_on_approval

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN_ITEM_REFERENCES = ("document_id", "vendor_id", "employee_id", "voucher_id")
VOUCHER_COLUMNS = lambda: (  # noqa: E731 - fresh columns for each use: a column belongs to one table
    sa.Column('base_currency', sa.String(length=3), nullable=True),
    sa.Column('exchange_rate', sa.Numeric(precision=18, scale=8), nullable=True),
    sa.Column('rate_date', sa.Date(), nullable=True),
    sa.Column('rate_source', sa.String(length=200), nullable=True),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('posted_by_id', sa.Uuid(), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reverses_id', sa.Uuid(), nullable=True),
    sa.Column('reversed_by_id', sa.Uuid(), nullable=True),
)
VOUCHER_LINKS = (("reverses_id", "vouchers"), ("reversed_by_id", "vouchers"), ("posted_by_id", "users"))


def upgrade() -> None:
    _create_exchange_rates()
    _create_accounting_periods()
    _create_open_items()
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('categories', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('post_on_approval', sa.Boolean(), server_default=sa.true(), nullable=False))
    _add_voucher_columns()
    _add_line_columns()


def _create_exchange_rates() -> None:
    op.create_table('exchange_rates',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('from_currency', sa.String(length=3), nullable=False),
    sa.Column('to_currency', sa.String(length=3), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=8), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_exchange_rates_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rates')),
    sa.UniqueConstraint('company_id', 'from_currency', 'to_currency', 'date',
                        name=op.f('uq_exchange_rates_company_id_from_currency_to_currency_date'))
    )
    with op.batch_alter_table('exchange_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_rates_company_id'), ['company_id'], unique=False)


def _create_accounting_periods() -> None:
    op.create_table('accounting_periods',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_accounting_periods_changed_by_id_users')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_accounting_periods_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_periods')),
    sa.UniqueConstraint('company_id', 'period', name=op.f('uq_accounting_periods_company_id_period'))
    )
    with op.batch_alter_table('accounting_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_periods_company_id'), ['company_id'], unique=False)


def _create_open_items() -> None:
    op.create_table('open_items',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('voucher_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=True),
    sa.Column('vendor_id', sa.Uuid(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('counterparty', sa.String(length=200), nullable=False),
    sa.Column('account_code', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('open_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('due_reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_open_items_company_id_companies')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_open_items_document_id_documents')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_open_items_employee_id_employees')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_open_items_vendor_id_vendors')),
    sa.ForeignKeyConstraint(['voucher_id'], ['vouchers.id'], name=op.f('fk_open_items_voucher_id_vouchers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_items'))
    )
    with op.batch_alter_table('open_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open_items_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_open_items_company_status_due', ['company_id', 'status', 'due_date'], unique=False)
        for column in OPEN_ITEM_REFERENCES:
            batch_op.create_index(batch_op.f(f'ix_open_items_{column}'), [column], unique=False)


def _add_voucher_columns() -> None:
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        for column in VOUCHER_COLUMNS():
            batch_op.add_column(column)
        batch_op.create_index(batch_op.f('ix_vouchers_reverses_id'), ['reverses_id'], unique=False)
        for column, table in VOUCHER_LINKS:
            batch_op.create_foreign_key(batch_op.f(f'fk_vouchers_{column}_{table}'), table, [column], ['id'])
    # Vouchers drafted before exchange rates: their amounts are kept as they were, in their own currency.
    op.execute("UPDATE vouchers SET base_currency = currency")


def _add_line_columns() -> None:
    with op.batch_alter_table('voucher_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_debit', sa.Numeric(precision=18, scale=2), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('base_credit', sa.Numeric(precision=18, scale=2), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('source', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch_op.add_column(sa.Column('cost_centre_code', sa.String(length=20), nullable=True))
    op.execute("UPDATE voucher_lines SET base_debit = debit, base_credit = credit")
    with op.batch_alter_table('voucher_lines', schema=None) as batch_op:
        batch_op.alter_column('base_debit', server_default=None)
        batch_op.alter_column('base_credit', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        for column, table in reversed(VOUCHER_LINKS):
            batch_op.drop_constraint(batch_op.f(f'fk_vouchers_{column}_{table}'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_vouchers_reverses_id'))
        for column in reversed(VOUCHER_COLUMNS()):
            batch_op.drop_column(column.name)
    with op.batch_alter_table('voucher_lines', schema=None) as batch_op:
        for column in ('cost_centre_code', 'source', 'base_credit', 'base_debit'):
            batch_op.drop_column(column)
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('post_on_approval')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('categories')
    with op.batch_alter_table('open_items', schema=None) as batch_op:
        for column in reversed(OPEN_ITEM_REFERENCES):
            batch_op.drop_index(batch_op.f(f'ix_open_items_{column}'))
        batch_op.drop_index('ix_open_items_company_status_due')
        batch_op.drop_index(batch_op.f('ix_open_items_company_id'))
    op.drop_table('open_items')
    for table in ('accounting_periods', 'exchange_rates'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_company_id'))
        op.drop_table(table)
