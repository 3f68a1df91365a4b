"""Master data: accounts.parent_code and active, tax_codes, cost_centres, projects, employees, and the vendor's
cost_centre_code and payment_terms

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CODED_TABLES = ("cost_centres", "projects")
"""Tables of a code, a name and an active flag."""


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_code', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost_centre_code', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('payment_terms', sa.String(length=100), nullable=True))

    for table in CODED_TABLES:
        _create_company_table(table, 'code', [])
    _create_company_table('tax_codes', 'code', [
        sa.Column('rate', sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('deductible', sa.Boolean(), nullable=False),
        sa.Column('account_code', sa.String(length=20), nullable=True),
    ])
    _create_company_table('employees', 'number', [
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('cost_centre_code', sa.String(length=20), nullable=True),
        sa.Column('user_id', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_employees_user_id_users')),
    ])
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employees_user_id'), ['user_id'], unique=False)


def _create_company_table(table: str, key: str, columns: list) -> None:
    """A company's table of rows known by ``key``, with a name, an active flag and ``columns``."""
    op.create_table(table,
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column(key, sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    *columns,
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f(f'fk_{table}_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    sa.UniqueConstraint('company_id', key, name=op.f(f'uq_{table}_company_id_{key}'))
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_company_id'), ['company_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employees_user_id'))
    for table in ('employees', 'tax_codes', *CODED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_company_id'))
        op.drop_table(table)
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_column('payment_terms')
        batch_op.drop_column('cost_centre_code')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('parent_code')
