"""Exports and webhooks: export batches and the batch each exported voucher went out in; webhooks and their
deliveries

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

DELIVERY_INDEXES = ("company_id", "webhook_id")


def upgrade() -> None:
    _create_export_batches()
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('export_batch_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_vouchers_export_batch_id'), ['export_batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_vouchers_export_batch_id_export_batches'), 'export_batches',
                                    ['export_batch_id'], ['id'])
    _create_webhooks()
    _create_webhook_deliveries()


def _create_export_batches() -> None:
    op.create_table('export_batches',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('created_by', sa.String(length=300), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('voucher_count', sa.Integer(), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('blob_key', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_export_batches_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_batches'))
    )
    with op.batch_alter_table('export_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_batches_company_id'), ['company_id'], unique=False)


def _create_webhooks() -> None:
    op.create_table('webhooks',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_webhooks_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks'))
    )
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhooks_company_id'), ['company_id'], unique=False)


def _create_webhook_deliveries() -> None:
    op.create_table('webhook_deliveries',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('webhook_id', sa.Uuid(), nullable=False),
    sa.Column('event', sa.String(length=50), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('redelivery_of_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                            name=op.f('fk_webhook_deliveries_company_id_companies')),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_webhook_deliveries_webhook_id_webhooks')),
    sa.ForeignKeyConstraint(['redelivery_of_id'], ['webhook_deliveries.id'],
                            name=op.f('fk_webhook_deliveries_redelivery_of_id_webhook_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries'))
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        for column in DELIVERY_INDEXES:
            batch_op.create_index(batch_op.f(f'ix_webhook_deliveries_{column}'), [column], unique=False)
        batch_op.create_index('ix_webhook_deliveries_status_next_attempt_at', ['status', 'next_attempt_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_deliveries_status_next_attempt_at')
        for column in reversed(DELIVERY_INDEXES):
            batch_op.drop_index(batch_op.f(f'ix_webhook_deliveries_{column}'))
    op.drop_table('webhook_deliveries')
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhooks_company_id'))
    op.drop_table('webhooks')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_vouchers_export_batch_id_export_batches'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_vouchers_export_batch_id'))
        batch_op.drop_column('export_batch_id')
    with op.batch_alter_table('export_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_batches_company_id'))
    op.drop_table('export_batches')
