"""The one error the server turns into an HTTP answer."""

from __future__ import annotations


class ServeError(Exception):
    """A request that fails with an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
