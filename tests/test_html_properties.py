"""HTML mode takes anything: no exception, a str back, and no word the page did not contain
(once its encoding is repaired and it is in NFC, as trafilatura returns it).

Generated pages mix real tags with arbitrary text and bytes (including broken markup, NULs,
undeclared or unknown encodings, character references XML cannot hold, lone surrogates and
framesets); an empty or binary page comes back empty with a warning.
"""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import CleanConfig, Cleaner
from cleaner.config import EncodingConfig
from cleaner.encoding import repair_text

CLEANER = Cleaner(CleanConfig())
TAGS = ["<p>", "</p>", "<div class='related'>", "</div>", "<h1>", "</h1>", "<br>", "<script>", "</script>",
        "<!--", "-->", "<article>", "</article>", "<li>", "&amp;", "&#x2014;", "<meta charset='latin-1'>",
        "&#1;", "&#xFFFF;", "&#0;", "&#xD800;", "&#99999999;", "\ud800", "\r", "\u2028", "<template>", "<noscript>",
        "<frameset>", "<svg>", "<?xml version='1.0' encoding='x-foo'?>"]
WORD = regex.compile(r"\w+")
pages = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=80)), max_size=30).map("".join)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(pages, st.binary(max_size=300)))
def test_any_page_is_handled(page: str | bytes) -> None:
    result = CLEANER.clean_html(page)
    assert isinstance(result.text, str)
    if not result.text:
        return
    raw = page if isinstance(page, str) else page.decode("utf-8", "replace")
    assert result.warnings or raw.strip()


@SETTINGS
@given(st.lists(st.text(alphabet=st.characters(categories=["L", "Nd"]), min_size=1, max_size=12), min_size=1,
                max_size=40))
def test_output_words_come_from_the_page(words: list[str]) -> None:
    page = "<html><body><article><p>" + " ".join(words) + ".</p></article></body></html>"
    result = CLEANER.clean_html(page)
    # Mojibake such as 'Âª' is repaired, as in text mode; trafilatura returns NFC text (U+F900 becomes U+8C48).
    body = unicodedata.normalize("NFC", repair_text(" ".join(words), EncodingConfig()).text)
    page_words = set(WORD.findall(body.lower()))
    assert set(WORD.findall(result.text.lower())) <= page_words
