"""Account examples: each confirmed expense or asset line of an approved voucher with its embedding, for learned
account suggestions

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

REFERENCES = (("voucher_id", "vouchers"), ("vendor_id", "vendors"))


def upgrade() -> None:
    op.create_table('account_examples',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('voucher_line_id', sa.Uuid(), nullable=False),
    sa.Column('voucher_id', sa.Uuid(), nullable=False),
    sa.Column('vendor_id', sa.Uuid(), nullable=True),
    sa.Column('vendor_name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('account_code', sa.String(length=20), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_account_examples_company_id_companies')),
    sa.ForeignKeyConstraint(['voucher_line_id'], ['voucher_lines.id'],
                            name=op.f('fk_account_examples_voucher_line_id_voucher_lines')),
    *(sa.ForeignKeyConstraint([column], [f'{table}.id'], name=op.f(f'fk_account_examples_{column}_{table}'))
      for column, table in REFERENCES),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_examples')),
    sa.UniqueConstraint('voucher_line_id', name=op.f('uq_account_examples_voucher_line_id'))
    )
    with op.batch_alter_table('account_examples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_examples_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_examples_voucher_id'), ['voucher_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('account_examples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_examples_voucher_id'))
        batch_op.drop_index(batch_op.f('ix_account_examples_company_id'))
    op.drop_table('account_examples')
