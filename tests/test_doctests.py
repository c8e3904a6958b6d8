"""The examples in the package's docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import trialgraph

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(trialgraph.__path__, prefix="trialgraph.")
    if name != "trialgraph.cli"
)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
