"""A small exception hierarchy; record-level errors carry where the record came from and the field."""

from __future__ import annotations


class TrialgraphError(Exception):
    """Base of every error trialgraph raises on purpose."""


class RecordError(TrialgraphError):
    """A record that cannot be read or converted. Readers catch it and yield a RejectedRecord."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"field '{field}': {reason}")
        self.field = field
        self.reason = reason


#: the field of a rejection for an exception nobody expected (a bug): one odd record rejects that
#: record (or the rest of its file), never a build that may have hours of records after it
UNEXPECTED_FIELD = "record"


class UnknownQueryError(TrialgraphError):
    """A query name that is not in the library and is not a readable .rq file."""


class QueryParameterError(TrialgraphError):
    """A parameter that the query does not declare, or a value of the wrong kind."""


class GraphNotFoundError(TrialgraphError):
    """A --graph directory without a built store."""
