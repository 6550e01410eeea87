"""Golden files pin the output: a change that alters one must be approved on purpose.

Approve with ``pytest tests/test_golden.py --update-golden`` and review ``git diff golden/``.
"""

from __future__ import annotations

import difflib

import pytest
from golden_cases import GoldenCase, clean_case, load_cases, lost_sentences, rendered

from cleaner import Cleaner, apply_removals, tidy

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: GoldenCase, cleaner: Cleaner, request: pytest.FixtureRequest) -> None:
    result = clean_case(cleaner, case)
    lost = lost_sentences(case, result.text)
    files = rendered(result)
    if request.config.getoption("--update-golden"):
        if lost and not request.config.getoption("--allow-loss"):
            pytest.fail(f"refusing to approve {case.name}: must_keep sentences would disappear: {lost}")
        for name, content in files.items():
            (case.path / name).write_text(content, encoding="utf-8")
        return
    assert not lost, f"must_keep sentences lost: {lost}"
    for snippet in case.must_remove:
        assert snippet not in result.text, f"must_remove snippet still present: {snippet!r}"
    for name, content in files.items():
        path = case.path / name
        assert path.exists(), f"{path} missing: run pytest tests/test_golden.py --update-golden"
        expected = path.read_text(encoding="utf-8")
        if expected != content:
            diff = "".join(difflib.unified_diff(
                expected.splitlines(keepends=True), content.splitlines(keepends=True),
                fromfile=f"{name} (approved)", tofile=f"{name} (now)"))
            pytest.fail(f"{case.name}/{name} changed; approve with --update-golden if intended:\n{diff}")


def test_every_seed_is_a_golden_case() -> None:
    assert len(CASES) >= 15
    assert {"clean-article-untouched", "jiji-press-copyright-end"} <= {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_removals_replay_to_text(case: GoldenCase, cleaner: Cleaner) -> None:
    result = clean_case(cleaner, case)
    assert tidy(apply_removals(result.source, result.removals)) == result.text
