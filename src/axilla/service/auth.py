"""Bearer-token authentication for stored cases: the token's hash is looked up in the store.

Tokens are made with ``axilla token create NAME``; the name becomes the author of every case
saved with that token. The stateless compute endpoints need no token.
"""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

bearer = HTTPBearer(auto_error=False, description="A token from `axilla token create NAME`")

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def require_author(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
) -> str:
    """The author name of a valid bearer token; 401 when it is missing, malformed or unknown."""
    if credentials is None:
        header = request.headers.get("authorization")
        reason = "malformed Authorization header; use 'Bearer <token>'" if header else \
            "a bearer token is required (axilla token create NAME)"
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, reason, headers=_CHALLENGE)
    author = request.app.state.store.author_of(credentials.credentials)
    if author is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or revoked token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return author
