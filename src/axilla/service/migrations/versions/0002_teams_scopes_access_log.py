"""Teams and scopes for tokens, a team for each case, and the access log.

Existing tokens and cases join the team "default" and existing tokens keep both scopes, so
every token sees the same cases as before this revision.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("team", sa.String(100), nullable=False,
                                   server_default="default"))
        batch.add_column(sa.Column("scopes", sa.String(50), nullable=False,
                                   server_default="read write"))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("team", sa.String(100), nullable=False,
                                   server_default="default"))
    op.create_index("ix_cases_team_created_at", "cases", ["team", "created_at"])
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token_id", sa.Integer, sa.ForeignKey("api_tokens.id"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.Column("status", sa.Integer, nullable=False),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_access_log_at", table_name="access_log")
    op.drop_table("access_log")
    op.drop_index("ix_cases_team_created_at", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("team")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("scopes")
        batch.drop_column("team")
