"""Engine behaviour: span merging, attribution, emptied lines, replay, guards, API errors."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import CleanConfig, Cleaner, InputTooLarge, Removal, apply_removals, clean, tidy
from cleaner.result import merge_spans

RULES_ONLY = CleanConfig(detect=False)


def test_merge_trims_overlaps_and_keeps_every_character_attributed() -> None:
    src = "0123456789"
    merged = merge_spans([Removal(2, 6, src[2:6], "a", "x"), Removal(4, 8, src[4:8], "b", "x")], src)
    assert [(r.start, r.end, r.rule_id) for r in merged] == [(2, 6, "a"), (6, 8, "b")]
    assert apply_removals(src, merged) == "01" + "89"


def test_tidy_collapses_blank_runs_only() -> None:
    assert tidy("A\n\n\n\nB\n  \n \nC") == "A\n\nB\n\nC"
    assert tidy("A  B\nC") == "A  B\nC"


def test_emptied_line_goes_with_its_newline() -> None:
    result = Cleaner(RULES_ONLY).clean_document("First paragraph.\nSupport Now\nSecond paragraph.")
    assert result.text == "First paragraph.\nSecond paragraph."
    assert [r.rule_id for r in result.removals] == ["donation.appeal-line"]


def test_metadata_from_header_and_removals_replay(cleaner: Cleaner) -> None:
    src = " date 2026-01-31 Tokyo (Jiji Press)--Leaders met. END [Copyright The Jiji Press, Ltd.]"
    result = cleaner.clean_document(src)
    assert result.metadata["date"] == "2026-01-31"
    assert result.text == "Tokyo (Jiji Press)--Leaders met."
    assert tidy(apply_removals(result.source, result.removals)) == result.text
    assert result.site == "jiji" and result.site_reason == "signature"


def test_too_large_is_a_clear_error() -> None:
    cleaner = Cleaner(CleanConfig(max_chars=100))
    with pytest.raises(InputTooLarge, match="max_chars=100"):
        cleaner.clean_document("x" * 101)


def test_bytes_are_refused_with_a_clear_message() -> None:
    with pytest.raises(TypeError, match="decode bytes first"):
        clean(b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, 5, ["text"]])
def test_a_value_that_is_not_text_is_named_without_a_bytes_hint(value: object) -> None:
    with pytest.raises(TypeError, match=f"takes str, not {type(value).__name__}$"):
        clean(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("url", [b"https://example.com/a", 5])
def test_a_url_that_is_not_a_string_is_a_clear_type_error(cleaner: Cleaner, url: object) -> None:
    with pytest.raises(TypeError, match=f"url must be a str or None, not {type(url).__name__}"):
        cleaner.clean_document("The council met.", url=url)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"url must be a str or None, not {type(url).__name__}"):
        cleaner.clean_html("<p>The council met.</p>", url=url)  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["", "::", "http://[::1", "http://" + "a" * 10_000, "http://bücher.de/x",
                                 "http://xn--bcher-kva.de/x", "javascript:alert(1)", "http://[::1]:99999/"])
def test_a_url_that_is_no_url_selects_no_site(cleaner: Cleaner, url: str) -> None:
    result = cleaner.clean_document("The council met.\nDownload App", url=url)
    assert result.site is None and result.text == "The council met."


def test_empty_input_gives_empty_output_without_warning(cleaner: Cleaner) -> None:
    result = cleaner.clean_document("")
    assert result.text == "" and result.warnings == ()


def test_everything_removed_warns(cleaner: Cleaner) -> None:
    result = cleaner.clean_document("Download App\nSupport Now")
    assert result.text == ""
    assert any("every character was removed" in w for w in result.warnings)


def test_cleaner_pickles_and_is_shareable_between_threads(cleaner: Cleaner) -> None:
    copy = pickle.loads(pickle.dumps(cleaner))
    docs = [f"Paragraph {i} of the story.\nDownload App\nEnd {i}." for i in range(50)]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(cleaner.clean, docs))
    assert threaded == [copy.clean(d) for d in docs]
    assert copy.ruleset_version == cleaner.ruleset_version


def test_disabled_rule_is_not_applied() -> None:
    text = "Story.\nDownload App\nMore story."
    assert clean(text, config=RULES_ONLY) == "Story.\nMore story."
    off = CleanConfig(detect=False, disabled=frozenset({"app.install-line"}))
    assert clean(text, config=off) == text


def test_menu_only_page_falls_back_with_a_counted_warning() -> None:
    from cleaner.result import DETECTION_FALLBACK_MARK
    from cleaner.stats import Stats

    cleaner = Cleaner()
    text = "Home\nNews\nSport\nWeather\nContact\nLogin"
    result = cleaner.clean_document(text)
    assert result.text == text, "with no article region, the rules' result is kept"
    assert [w for w in result.warnings if w.startswith(DETECTION_FALLBACK_MARK)]
    stats = Stats()
    stats.add({"text": text}, {"text": result.text}, result)
    prose = cleaner.clean_document("The council met on Monday evening to debate the budget.")
    stats.add({"text": prose.source}, {"text": prose.text}, prose)
    assert stats.to_dict()["detection_fallbacks"] == 1


def test_cut_refused_for_prose_that_another_rule_removes_fires_in_the_same_call() -> None:
    para = "The council voted on Monday to approve a new budget for road repairs after a long debate."
    consent = (
        "By signing up, you agree to our Terms of Use and Privacy Policy, and to receive emails "
        "about our products and offers from time to time."
    )
    text = "\n".join([para] * 4 + ["Related Articles", "Bus fares to rise", consent])
    cleaner = Cleaner(RULES_ONLY)
    once = cleaner.clean(text)
    assert once == "\n".join([para] * 4)
    assert cleaner.clean(once) == once


def test_front_matter_that_parses_once_another_rule_cut_a_line_goes_in_the_same_call() -> None:
    cleaner = Cleaner(RULES_ONLY)
    once = cleaner.clean("---\ntitle: Budget\nDOWNLOAD APP\n---\nThe council met on Monday.")
    assert once == "The council met on Monday."
    assert cleaner.clean(once) == once


@given(st.lists(st.sampled_from(["", " ", "---", " --- ", "-- -", "a", "\t"]), max_size=5))
def test_front_matter_start_is_the_plain_definition(first_lines: list[str]) -> None:
    from cleaner.actions import front_matter_start

    first = next((i for i, text in enumerate(first_lines[:3]) if text.strip()), None)
    plain = first if first is not None and first_lines[first].strip() == "---" else None
    assert front_matter_start(first_lines) == plain


@given(st.data())
def test_head_reach_is_the_plain_max(data: st.DataObject) -> None:
    from cleaner.api import default_cleaner
    from cleaner.engine import head_reach

    book = default_cleaner().rulebook
    active = data.draw(st.frozensets(st.integers(0, len(book.rules) - 1)))
    plain = max((book.rules[i].rule.guard.max_line or 0 for i in book.head_rules if i in active), default=-1)
    assert head_reach(book, active) == plain
