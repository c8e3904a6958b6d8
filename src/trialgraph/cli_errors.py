"""Exit codes and the error exit shared by every `trialgraph` command (cli.py and the cli_* modules,
which cli.py imports, so they cannot import it)."""

from __future__ import annotations

import typer

EXIT_INVALID = 1  # invalid data (a SHACL violation), a failed query or command
EXIT_USAGE = 2
EXIT_PARTIAL = 3  # some records rejected, the rest converted and valid


def fail(error: Exception, code: int = EXIT_INVALID) -> typer.Exit:
    """Print the error on stderr (no traceback) and give the Exit to raise."""
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(code)
