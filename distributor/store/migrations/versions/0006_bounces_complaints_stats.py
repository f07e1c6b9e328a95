"""Bounces and complaints per delivery, subscribers' status reason, click and open counts.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('per_person_stats', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bounce', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('bounce_detail', sa.Text(), nullable=True))
    op.create_table(
        'mail_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('delivery_id', sa.Integer(), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('subscriber_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('diagnostic', sa.Text(), nullable=False),
        sa.Column('report_key', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_mail_feedback_delivery_id_deliveries')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_feedback')),
        sa.UniqueConstraint('report_key', name=op.f('uq_mail_feedback_report_key')),
    )
    op.create_index(op.f('ix_mail_feedback_campaign_id'), 'mail_feedback', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_mail_feedback_subscriber_id'), 'mail_feedback', ['subscriber_id'], unique=False)
    op.create_table(
        'link_clicks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('subscriber_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_link_clicks')),
    )
    op.create_index(op.f('ix_link_clicks_campaign_id'), 'link_clicks', ['campaign_id'], unique=False)
    op.create_table(
        'campaign_opens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('apple_proxy', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_opens')),
    )
    op.create_index(op.f('ix_campaign_opens_campaign_id'), 'campaign_opens', ['campaign_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_campaign_opens_campaign_id'), table_name='campaign_opens')
    op.drop_table('campaign_opens')
    op.drop_index(op.f('ix_link_clicks_campaign_id'), table_name='link_clicks')
    op.drop_table('link_clicks')
    op.drop_index(op.f('ix_mail_feedback_subscriber_id'), table_name='mail_feedback')
    op.drop_index(op.f('ix_mail_feedback_campaign_id'), table_name='mail_feedback')
    op.drop_table('mail_feedback')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('bounce_detail')
        batch_op.drop_column('bounce')
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.drop_column('per_person_stats')
        batch_op.drop_column('status_reason')
