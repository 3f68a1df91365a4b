"""document_fingerprints and duplicate_links: likely duplicates beyond identical bytes (the same invoice as other
bytes, a re-encoded photo), found after extraction and linked for review

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_fingerprints',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                            name=op.f('fk_document_fingerprints_company_id_companies')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                            name=op.f('fk_document_fingerprints_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_fingerprints'))
    )
    with op.batch_alter_table('document_fingerprints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_fingerprints_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_document_fingerprints_lookup', ['company_id', 'kind', 'value'], unique=False)

    op.create_table('duplicate_links',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('duplicate_of_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('distance', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_duplicate_links_company_id_companies')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_duplicate_links_document_id_documents')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['documents.id'],
                            name=op.f('fk_duplicate_links_duplicate_of_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_links')),
    sa.UniqueConstraint('document_id', 'duplicate_of_id', 'reason',
                        name=op.f('uq_duplicate_links_document_id_duplicate_of_id_reason'))
    )
    with op.batch_alter_table('duplicate_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_links_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_links_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_links_duplicate_of_id'), ['duplicate_of_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('duplicate_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_links_duplicate_of_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_links_document_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_links_company_id'))
    op.drop_table('duplicate_links')
    with op.batch_alter_table('document_fingerprints', schema=None) as batch_op:
        batch_op.drop_index('ix_document_fingerprints_lookup')
        batch_op.drop_index(batch_op.f('ix_document_fingerprints_document_id'))
    op.drop_table('document_fingerprints')
