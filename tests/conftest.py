"""Shared fixtures and the golden-file options.

``pytest tests/test_golden.py --update-golden`` rewrites the expected files after an
intentional change (review it as ``git diff golden/``); it refuses to write a case
where a ``must_keep`` sentence would disappear unless ``--allow-loss`` is given.
"""

from __future__ import annotations

import pytest

from cleaner import Cleaner


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden/ expected files")
    parser.addoption("--allow-loss", action="store_true",
                     help="with --update-golden: write even if a must_keep sentence disappears")


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()
