"""HTML mode's detector (cleaner.detect.extracted) on small hand-made extractor outputs.

The texts imitate trafilatura's output: one line per paragraph, ``- `` list items, and leftovers at
the edges (a related-stories list, a newsletter pitch) that the model is trained to find.
"""

from __future__ import annotations

from dataclasses import replace

from cleaner.detect.extracted import MAX_REMOVED_SHARE, clean_extracted_only, default_html_model, detect_extracted

ARTICLE = [
    "The city council voted on Tuesday to expand the bus network, adding three new routes that will connect "
    "the northern suburbs with the hospital and the university campus.",
    "Officials said the new routes would start running in March, after drivers have been hired and trained. "
    "The plan was approved by a vote of seven to two after a long debate.",
    "Residents who spoke at the meeting said they had waited years for a direct connection to the hospital, "
    "and several thanked the council for listening to their concerns.",
    "The two members who voted against the plan said it was too expensive and that the money should have "
    "gone to repairing roads, which they described as being in a poor state.",
    "The transport department will publish the new timetables on its website next month, and it expects the "
    "first buses to carry around four thousand passengers a day.",
]
RELATED = [
    "Related Stories",
    "- Mayor announces new parking rules for the city centre",
    "- Bridge closure to last until the end of the summer",
    "- Local school wins national science competition",
    "- Council approves budget for new library building",
    "- Record crowds expected at this year's harbour festival",
]
CTA = "Sign up for our free newsletter and get the best stories delivered to your inbox every morning"


def test_trailing_related_heading_removed() -> None:
    """The heading of a trailing related list goes; the article stays.

    The headlines between score as article text: on wcxb-article-dev lines after such a heading
    are article text more often than not, and the model is precision first.
    """
    out = clean_extracted_only("\n".join([*ARTICLE, *RELATED]))
    assert all(line in out for line in ARTICLE)
    assert "Related Stories" not in out


def test_cta_line_removed() -> None:
    out = clean_extracted_only("\n".join([*ARTICLE, CTA]))
    assert CTA not in out
    assert all(line in out for line in ARTICLE)


def test_article_paragraphs_kept() -> None:
    text = "\n".join(ARTICLE)
    assert detect_extracted(text).spans == ()


def test_short_article_kept() -> None:
    text = "The museum reopens on Saturday after a two-year renovation, its director said on Monday."
    result = detect_extracted(text)
    assert result.spans == () and not result.fell_back


def test_never_empties_a_document() -> None:
    """When the model would cut most of the text, it is kept whole, with a warning, rather than emptied."""
    model = replace(default_html_model(), threshold=100.0, prose_threshold=100.0)
    text = "\n".join(ARTICLE)
    result = detect_extracted(text, model=model)
    assert result.spans == () and result.fell_back and result.warning


def test_spans_are_whole_lines_with_reasons() -> None:
    text = "\n".join([*ARTICLE, *RELATED])
    for span in detect_extracted(text).spans:
        assert span.start == 0 or text[span.start - 1] == "\n"
        assert span.end == len(text) or text[span.end - 1] == "\n"
        assert span.rule_id.startswith("html-detect:") and span.evidence


def test_shipped_model_is_precision_first() -> None:
    model = default_html_model()
    assert model.prose_threshold <= model.threshold < 0
    assert 0 < MAX_REMOVED_SHARE < 1
