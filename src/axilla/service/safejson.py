"""A JSON response that any text can travel in: a lone surrogate (not valid Unicode, so not
encodable as UTF-8) is sent as its ``\\uXXXX`` escape instead of failing the response."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse


class SafeJSONResponse(JSONResponse):
    """JSONResponse that falls back to ASCII escapes when the content is not valid Unicode."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, indent=None,
                              separators=(",", ":")).encode("ascii")
