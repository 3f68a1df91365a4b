"""vendors.aliases, documents.vendor_id and vendor_match, vendor_field_memories: documents matched to the vendor
master with the reason, and what clerks' confirmations taught about each vendor's documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aliases', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vendor_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('vendor_match', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_vendor_id'), ['vendor_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_vendor_id_vendors'), 'vendors', ['vendor_id'], ['id'])

    op.create_table('vendor_field_memories',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('vendor_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('confirmations', sa.Integer(), nullable=False),
    sa.Column('memory', sa.JSON(), nullable=False),
    sa.Column('last_document_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                            name=op.f('fk_vendor_field_memories_company_id_companies')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_vendor_field_memories_vendor_id_vendors')),
    sa.ForeignKeyConstraint(['last_document_id'], ['documents.id'],
                            name=op.f('fk_vendor_field_memories_last_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_field_memories')),
    sa.UniqueConstraint('vendor_id', 'field', name=op.f('uq_vendor_field_memories_vendor_id_field'))
    )
    with op.batch_alter_table('vendor_field_memories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_field_memories_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_field_memories_vendor_id'), ['vendor_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('vendor_field_memories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_field_memories_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_vendor_field_memories_company_id'))
    op.drop_table('vendor_field_memories')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_vendor_id_vendors'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_vendor_id'))
        batch_op.drop_column('vendor_match')
        batch_op.drop_column('vendor_id')
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_column('aliases')
