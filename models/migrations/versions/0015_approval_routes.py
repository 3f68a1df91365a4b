"""Approval routes: the company's routes (conditions and steps), each decision at a step of a voucher, and on a voucher
the route chosen for it, that route's steps as they were then and the step it waits at

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

VOUCHER_COLUMNS = lambda: (  # noqa: E731 - fresh columns for each use: a column belongs to one table
    sa.Column('approval_route_id', sa.Uuid(), nullable=True),
    sa.Column('approval_steps', sa.JSON(), nullable=True),
    sa.Column('approval_step', sa.Integer(), nullable=True),
)


def upgrade() -> None:
    _create_approval_routes()
    _create_voucher_approvals()
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        for column in VOUCHER_COLUMNS():
            batch_op.add_column(column)
        batch_op.create_index(batch_op.f('ix_vouchers_approval_route_id'), ['approval_route_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_vouchers_approval_route_id_approval_routes'), 'approval_routes',
                                    ['approval_route_id'], ['id'])


def _create_approval_routes() -> None:
    op.create_table('approval_routes',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_approval_routes_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_routes')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_approval_routes_company_id_code'))
    )
    with op.batch_alter_table('approval_routes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_routes_company_id'), ['company_id'], unique=False)


def _create_voucher_approvals() -> None:
    op.create_table('voucher_approvals',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('voucher_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('step_name', sa.String(length=100), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_voucher_approvals_company_id_companies')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_voucher_approvals_user_id_users')),
    sa.ForeignKeyConstraint(['voucher_id'], ['vouchers.id'], name=op.f('fk_voucher_approvals_voucher_id_vouchers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_approvals'))
    )
    with op.batch_alter_table('voucher_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_approvals_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_approvals_voucher_id'), ['voucher_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_vouchers_approval_route_id_approval_routes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_vouchers_approval_route_id'))
        for column in reversed(VOUCHER_COLUMNS()):
            batch_op.drop_column(column.name)
    with op.batch_alter_table('voucher_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_approvals_voucher_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_approvals_company_id'))
    op.drop_table('voucher_approvals')
    with op.batch_alter_table('approval_routes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_routes_company_id'))
    op.drop_table('approval_routes')
