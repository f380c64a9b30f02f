"""The words of tokens and of the access log, kept apart from the schema so the command line
can offer them without loading the database layer."""

from __future__ import annotations

TOKEN_PREFIX = "axilla_"
TOKEN_NAME_MAX = 100
#: What a token may do: read (list and read stored cases), write (store cases).
SCOPES = ("read", "write")
#: The team of tokens and cases made before teams existed (migration 0002).
DEFAULT_TEAM = "default"
#: What the access log records: a stored case created, read, or the list read.
ACTIONS = ("create", "read", "list")
#: Stored case ids are UUID4 hex strings; anything else cannot name a stored case.
CASE_ID_PATTERN = r"^[0-9a-f]{32}$"
