"""The examples in the package's docstrings run, so the documentation cannot drift from the code."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cleaner

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(cleaner.__path__, "cleaner.")
    if name not in {"cleaner.spark", "cleaner.datatrove"}  # optional extras, imported by their own tests
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"
