"""Errors the user can act on: each knows its exit code and names the culprit."""
from __future__ import annotations


class MclinksError(Exception):
    """Base class; ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        where = file or ""
        if file and line is not None:
            where = f"{file}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class ParameterError(MclinksError):
    """A command parameter (a query parameter, a symbol) is not something we can use."""

    exit_code = 2


class SourceError(MclinksError):
    """A source text or its metadata cannot be read or does not make sense."""

    exit_code = 3


class ValidationFailed(MclinksError):
    """The graph violates SHACL shapes; nothing was published."""

    exit_code = 4


class EndpointError(MclinksError):
    """A remote SPARQL endpoint refused or failed a request."""

    exit_code = 5
