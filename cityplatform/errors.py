"""The platform's exception hierarchy.

::

    PlatformError
    ├── ApiError                 a request is refused: status, error code and detail for the reply
    ├── TokenError               an enrollment token cannot be redeemed (carries its error code)
    ├── PublishError             a trust bundle cannot be published
    └── PlatformUsageError       a command was called wrongly (exit status 2)

The HTTP layer turns every ``ApiError`` (and every validation failure) into the
documented ``{"error": CODE, "detail": TEXT}`` body; nothing from outside becomes a 5xx.
"""

from __future__ import annotations

from collections.abc import Mapping


class PlatformError(Exception):
    """Base of every error the platform raises on purpose."""


class ApiError(PlatformError):
    """A refused request: the reply's status, error code, detail and extra fields."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


class TokenError(PlatformError):
    """An enrollment token was refused; ``code`` is the protocol's error code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class PublishError(PlatformError):
    """A trust bundle does not verify against the root key or is not newer."""


class PlatformUsageError(PlatformError):
    """A command was called wrongly."""
