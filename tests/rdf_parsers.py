"""Strict, independent RDF parsers from Debian as test oracles: rapper (raptor2-utils) and serdi.

    count = rdf_parsers.strict_count(path)            # both parsers, must agree; gzip is fine
    rdf_parsers.rapper_count(path, "turtle")          # one parser; RdfSyntaxError on any complaint

A file passes only if the parser exits 0 and prints no error or warning. A missing tool raises
ToolMissingError (a test using it fails, it never skips): scripts/install-system-packages installs
both, and `make test` runs it. Syntax is taken from the extension (.nt, .nq, .ttl, .trig, + .gz)
unless given. Used by tests/test_export.py and meant for any test of RDF output (fuzzed too).
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: syntax names shared by both tools, by file extension
SYNTAX_OF_EXTENSION = {".nt": "ntriples", ".nq": "nquads", ".ttl": "turtle", ".trig": "trig"}
_PACKAGE = {"rapper": "raptor2-utils", "serdi": "serdi"}
_RAPPER_COUNT = re.compile(r"Parsing returned (\d+) triples?")
# rapper reports problems as "rapper: Error - ..." / "rapper: Warning - ..."
_RAPPER_PROBLEM = re.compile(r"^rapper: (Error|Warning)\b.*$", re.MULTILINE)


class ToolMissingError(AssertionError):
    """The parser is not installed: the check cannot be made, so the test must fail."""


class RdfSyntaxError(AssertionError):
    """A strict parser refused the file (or warned about it); the message is the parser's own."""

    def __init__(self, tool: str, path: Path, message: str) -> None:
        super().__init__(f"{tool} rejected {path}:\n{message.strip()}")
        self.tool = tool
        self.path = path
        self.message = message


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(
            f"{name} is not installed: run scripts/install-system-packages "
            f"(Debian package {_PACKAGE[name]}); these checks must not be skipped"
        )
    return found


def syntax_of(path: Path) -> str:
    """The parser syntax name from the file name: graph.nt.gz -> ntriples."""
    suffixes = path.suffixes[:-1] if path.suffix == ".gz" else path.suffixes
    if not suffixes or suffixes[-1] not in SYNTAX_OF_EXTENSION:
        raise ValueError(
            f"no RDF syntax known for {path.name}: give one of {set(SYNTAX_OF_EXTENSION.values())}"
        )
    return SYNTAX_OF_EXTENSION[suffixes[-1]]


@contextmanager
def _plain(path: Path) -> Iterator[Path]:
    """The file itself, or for .gz a decompressed copy beside nothing else (streamed, in a temp dir);
    the copy keeps the name without .gz, so relative IRIs resolve as against the original."""
    if path.suffix != ".gz":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="rdf-parsers-") as tmp:
        plain = Path(tmp) / path.stem
        with gzip.open(path, "rb") as packed, plain.open("wb") as out:
            shutil.copyfileobj(packed, out, length=1 << 20)
        yield plain


def rapper_count(path: Path, syntax: str | None = None) -> int:
    """Statements in the file by `rapper -c -f strict` (strict conformance mode, count only)."""
    syntax = syntax or syntax_of(path)
    with _plain(path) as plain:
        run = subprocess.run(
            [_tool("rapper"), "-i", syntax, "-c", "-f", "strict", str(plain)],
            capture_output=True,
            text=True,
            check=False,
        )
    problems = _RAPPER_PROBLEM.findall(run.stderr)
    count = _RAPPER_COUNT.search(run.stderr)
    if run.returncode != 0 or problems or count is None:
        raise RdfSyntaxError("rapper", path, run.stderr)
    return int(count.group(1))


def serdi_count(path: Path, syntax: str | None = None) -> int:
    """Statements in the file by serdi (strict unless -l, which we never pass), written back as
    N-Triples / N-Quads, one statement a line, and counted."""
    syntax = syntax or syntax_of(path)
    output = "nquads" if syntax in ("nquads", "trig") else "ntriples"
    # stderr goes to a file: a pipe could fill with messages while we read stdout, and hang both
    with _plain(path) as plain, tempfile.TemporaryFile() as stderr:
        with subprocess.Popen(
            [_tool("serdi"), "-i", syntax, "-o", output, str(plain), plain.resolve().as_uri()],
            stdout=subprocess.PIPE,
            stderr=stderr,
        ) as process:
            stdout = process.stdout
            assert stdout is not None
            count = sum(chunk.count(b"\n") for chunk in iter(lambda: stdout.read(1 << 20), b""))
            returncode = process.wait()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    if returncode != 0 or errors.strip():
        raise RdfSyntaxError("serdi", path, errors or f"exit status {returncode}")
    return count


def strict_count(path: Path, syntax: str | None = None) -> int:
    """The statement count both parsers agree on; RdfSyntaxError if either refuses the file or
    they disagree."""
    by_rapper = rapper_count(path, syntax)
    by_serdi = serdi_count(path, syntax)
    if by_rapper != by_serdi:
        raise RdfSyntaxError("rapper/serdi", path, f"rapper counts {by_rapper}, serdi {by_serdi}")
    return by_rapper
