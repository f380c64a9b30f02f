"""Bearer-token authentication for stored cases: the token's hash is looked up in the store.

Tokens are made with ``axilla token create NAME --team TEAM --scope read --scope write``; the
name becomes the author of every case saved with that token, the team owns the case, and a
token sees only its own team's cases. ``read`` lists and reads stored cases; ``write`` stores
them. The stateless compute endpoints need no token.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from axilla.service.schema import SCOPES, Principal

bearer = HTTPBearer(auto_error=False,
                    description="A token from `axilla token create NAME --team TEAM`")

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def require_principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
) -> Principal:
    """Who a valid bearer token speaks for; 401 when it is missing, malformed or unknown."""
    if credentials is None:
        header = request.headers.get("authorization")
        reason = "malformed Authorization header; use 'Bearer <token>'" if header else \
            "a bearer token is required (axilla token create NAME)"
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, reason, headers=_CHALLENGE)
    principal = request.app.state.store.principal_of(credentials.credentials)
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or revoked token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    request.state.token_id = principal.token_id
    return principal


def require_scope(scope: str) -> Callable[..., Principal]:
    """A dependency: the principal of a valid token carrying ``scope``; 403 when it does not."""
    if scope not in SCOPES:
        raise ValueError(f"scope {scope!r}: must be one of {SCOPES}")

    def dependency(principal: Principal = Depends(require_principal)) -> Principal:  # noqa: B008
        if scope not in principal.scopes:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"this token lacks the {scope!r} scope (it has: "
                f"{', '.join(sorted(principal.scopes)) or 'none'})",
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", '
                         f'scope="{scope}"'})
        return principal

    return dependency
