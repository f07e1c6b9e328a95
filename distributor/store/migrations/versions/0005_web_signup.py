"""Sign-up on the web: the consent record's details, undo bound to its link, erased addresses
kept as keyed hashes, and rate-limit hits when Redis is not used.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_user_agent', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('consent_form_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('consent_text_version', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('consent_language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('confirmed_ip', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('unsubscribe_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('status_before_unsubscribe', sa.String(length=16), nullable=True))
    op.create_table('erased_addresses',
    sa.Column('address_hash', sa.String(length=64), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('address_hash', name=op.f('pk_erased_addresses'))
    )
    op.create_table('rate_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_hits'))
    )
    with op.batch_alter_table('rate_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_hits_key_at'), ['key', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rate_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_hits_key_at'))
    op.drop_table('rate_hits')
    op.drop_table('erased_addresses')
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        for column in ('status_before_unsubscribe', 'unsubscribe_token_hash', 'confirmed_ip',
                       'consent_language', 'consent_text_version', 'consent_form_url',
                       'consent_user_agent'):
            batch_op.drop_column(column)
