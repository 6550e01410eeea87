"""HTML mode's entry point: extract the article of one page with trafilatura, within a time budget.

Why this module exists
----------------------
trafilatura is the strongest open main-content extractor on our dev sets, so HTML mode starts
from its output and lets boilerstrip's text rules clean what it leaves behind. This module is
the HTML half only: it turns a page (``str`` or ``bytes``) into an :class:`HtmlExtraction`
(plain text, metadata, warnings). The text rules run on ``HtmlExtraction.text`` afterwards,
in the API layer, so HTML mode stays self-contained and knows nothing about rulebooks.

:func:`extract_html` checks the site's HTML rules, runs the extraction in a worker process killed
over ``HtmlOptions.time_budget_s`` (or in this process when the budget is ``None``), and cuts a
second copy of a long run of lines. The rest of HTML mode is one job a module:

* :mod:`cleaner.html_decode`: page bytes to text, when the charset declaration may be wrong;
* :mod:`cleaner.html_rules`: site files' HTML rules (XPaths), checked and tested on examples;
* :mod:`cleaner.html_meta`: the page's metadata (title, author, date, site name, language);
* :mod:`cleaner.html_extract`: one page extracted in the current process;
* :mod:`cleaner.html_worker`: that extraction in a subprocess, and why a subprocess;
* :mod:`cleaner.html_tail`, :mod:`cleaner.html_repeats`, :mod:`cleaner.html_fragment`: what
  HTML mode corrects in trafilatura's text;
* :mod:`cleaner.html_options` and :mod:`cleaner.html_errors`: the options and the exceptions.

Input policy (why garbage is not an exception)
----------------------------------------------
Empty input, binary data and pages where trafilatura finds no main content give an
:class:`HtmlExtraction` with empty ``text`` and a warning (``html:empty-input``,
``html:binary-input``, ``html:no-content``): these are answers about the page, and a batch
should record them and move on. Errors are kept for what the caller must act on: an over-budget
page (:class:`HtmlTimeoutError`, the record is flagged and may be retried), a dead worker, and an
invalid HTML rule (:class:`HtmlRuleError`, a bug in a site file). A page the parser could not read
to its end (``html:truncated``) keeps what was read, and pipelines flag it, since text is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from cleaner.html_errors import HtmlError, HtmlRuleError, HtmlTimeoutError
from cleaner.html_extract import extract_in_process
from cleaner.html_options import HtmlOptions
from cleaner.html_repeats import repeated_runs
from cleaner.html_rules import validate_html_rule
from cleaner.html_worker import thread_worker

__all__ = [
    "HtmlError",
    "HtmlExtraction",
    "HtmlOptions",
    "HtmlRuleError",
    "HtmlTimeoutError",
    "extract_html",
    "extract_text_only",
]


@dataclass(frozen=True)
class HtmlCut:
    """Whole lines of the extracted text that HTML mode drops: ``first``..``last`` (inclusive).

    ``rule_id`` is ``html:outside-tail`` (lines appended after the article from outside its
    element, :mod:`cleaner.html_tail`) or ``html:repeated-text`` (a second copy of a long run
    of lines, :mod:`cleaner.html_repeats`); the cleaner records each as a removal.
    """

    first: int
    last: int
    rule_id: str
    evidence: str


@dataclass(frozen=True)
class HtmlExtraction:
    """What HTML mode extracted from one page.

    ``text`` is trafilatura's text; ``cuts`` are the whole lines of it that HTML mode drops
    from the page's structure (``kept_text`` is the text without them). ``metadata`` holds
    only fields that were found: ``title``, ``author``, ``date`` (ISO), ``sitename``,
    ``description``, ``language``, ``url`` as strings and ``categories``, ``tags`` as lists.
    ``warnings`` are ``html:<code>: <message>`` strings the pipeline can surface.
    ``encoding`` is the codec used when the input was bytes (``None`` for ``str`` input).
    ``page_text`` is the whole page rendered as text when trafilatura kept only a fragment of
    the page's prose (:mod:`cleaner.html_fragment`), else empty.
    """

    text: str
    metadata: Mapping[str, str | list[str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    encoding: str | None = None
    cuts: tuple[HtmlCut, ...] = ()
    page_text: str = ""

    @property
    def kept_text(self) -> str:
        lines = self.text.split("\n")
        gone = {i for cut in self.cuts for i in range(cut.first, cut.last + 1)}
        return "\n".join(line for i, line in enumerate(lines) if i not in gone)



def extract_html(
    html: str | bytes,
    *,
    url: str | None = None,
    options: HtmlOptions = HtmlOptions(),  # frozen, so a shared default is safe
    drop_xpaths: Sequence[str] = (),
) -> HtmlExtraction:
    """Extract the article text and metadata of one page within ``options.time_budget_s``.

    ``drop_xpaths`` are the site's HTML rules: matched elements are removed before extraction.
    Raises :class:`HtmlTimeoutError` over budget, :class:`HtmlRuleError` for an invalid rule and
    :class:`HtmlError` if the worker dies; empty, binary or content-less pages give empty text
    with a warning (see the module docstring). A second copy of a long run of lines (a page
    carrying its article twice) is cut with an ``html:repeated-text`` warning
    (:mod:`cleaner.html_repeats`); cuts are whole lines of ``text``, listed in ``cuts``.
    """
    if not isinstance(html, str | bytes | bytearray):
        raise TypeError(f"extract_html takes str or bytes, got {type(html).__name__}")
    xpaths = list(drop_xpaths)
    for xpath in xpaths:
        validate_html_rule(xpath)
    page = bytes(html) if isinstance(html, bytearray) else html
    settings = {k: v for k, v in asdict(options).items() if k != "time_budget_s"}
    budget = options.time_budget_s
    if budget is None:
        text, metadata, warnings, encoding, raw_cuts, whole = extract_in_process(page, url, settings, xpaths)
    else:
        if budget <= 0:
            raise ValueError(f"time_budget_s must be positive or None, got {budget!r}")
        answer = thread_worker().call((page, url, settings, xpaths), budget)
        if answer[0] != "ok":
            raise HtmlError(f"HTML extraction failed: {answer[1]}")
        text, metadata, warnings, encoding, raw_cuts, whole = answer[1:]
    cuts = [HtmlCut(*cut) for cut in raw_cuts]
    lines = text.split("\n")
    gone = {i for cut in cuts for i in range(cut.first, cut.last + 1)}
    kept_rows = [i for i in range(len(lines)) if i not in gone]
    repeated = 0
    for first, last in repeated_runs([lines[i] for i in kept_rows]):
        rows = kept_rows[first : last + 1]
        cuts.append(HtmlCut(rows[0], rows[-1], "html:repeated-text", "repeats a longer run of lines before it"))
        repeated += sum(len(lines[i]) + 1 for i in rows)
    if repeated:
        warnings = [*warnings, f"html:repeated-text: dropped {repeated} characters that repeated the text before them"]
    return HtmlExtraction(
        text=text, metadata=metadata, warnings=tuple(warnings), encoding=encoding, cuts=tuple(cuts), page_text=whole
    )


def extract_text_only(html: str | bytes, url: str | None = None) -> str:
    """Text of :func:`extract_html` with default options (its cuts made): extraction alone, for scoring."""
    return extract_html(html, url=url).kept_text
