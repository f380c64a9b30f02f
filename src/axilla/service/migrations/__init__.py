"""Alembic migrations of the axilla service database (see store.py)."""
