"""The library entry points: ``Cleaner``, ``clean`` and ``clean_document``.

>>> from cleaner import clean
>>> clean("date 2026-01-31 Tokyo (Jiji Press)--Leaders met. END [Copyright The Jiji Press, Ltd.]")
'Tokyo (Jiji Press)--Leaders met.'
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal

from cleaner.config import CleanConfig
from cleaner.encoding import repair_text
from cleaner.engine import RuleRun, run_rules
from cleaner.html_classes import may_match, page_classes
from cleaner.html_fragment import is_fragment
from cleaner.remap import detect_on_kept, kept_segments, spans_to_source
from cleaner.rerun import (
    SourceHeld,
    head_pass_finds_nothing,
    held_in_source,
    located_may_qualify,
    next_rules_pass,
    rules_after_detection,
)
from cleaner.result import (
    HTML_FRAGMENT_MARK,
    TIMEOUT_MARK,
    CleanResult,
    Removal,
    apply_removals,
    merge_spans,
    tidy_spans,
)
from cleaner.rulebook import RuleBook, bundled_rules_dir
from cleaner.rulespec import HtmlRule, RuleFileError
from cleaner.segment import Lines
from cleaner.sites import choose_site, site_for_url

if TYPE_CHECKING:
    from cleaner.detect.features import LineCache
    from cleaner.html import HtmlCut

#: Rules passes run until nothing changes; this only bounds a pathological page. A cascade (a cut late in the
#: page brings an earlier marker past its ``min_position``, whose cut brings the next) shrinks the text by a
#: share each pass, so its passes grow with the logarithm of the page: a page of 1,000 such markers needs ~14.
_MAX_PASSES = 64
#: Detection rounds, each about the cost of a whole detection; real pages settle in one to three.
_MAX_DETECT_ROUNDS = 6
#: HTML mode warns when it keeps less than this share of trafilatura's text (word characters). On the dev sets
#: (873 pages, rules only) no page scored more than .05 F1 below trafilatura alone, and 2 pages kept
#: under 80% (neither of them worse): a larger cut is rare enough to deserve a look.
HTML_MIN_KEPT_SHARE = 0.8
_WORDS = re.compile(r"\w+")
_END = attrgetter("end")


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def headline_removal(source: str, headline: str | None) -> tuple[Removal, ...]:
    """The first line, when it repeats the page title (HTML mode): it goes to metadata, not the text.

    The title may carry a site suffix ("Headline | Site"), so a first line that starts
    the title and covers most of it counts too.
    """
    if not headline:
        return ()
    title = _words(headline)
    stripped = source.lstrip()
    start = len(source) - len(stripped)
    end = source.find("\n", start)
    end = len(source) if end < 0 else end + 1
    first = _words(source[start:end])
    if first and (first == title or (title.startswith(first) and len(first) >= 0.6 * len(title))):
        return (Removal(start, end, source[start:end], "html.title-line", "extract_meta"),)
    return ()



def _line_cuts(source: str, cuts: Sequence[HtmlCut]) -> tuple[Removal, ...]:
    """HTML mode's whole-line cuts (``HtmlExtraction.cuts``) as removals of ``source``.

    ``source`` is the extracted text after encoding repair, which keeps every line, so the
    line numbers still hold.
    """
    if not cuts:
        return ()
    lines = Lines.of(source)
    return tuple(
        Removal(lines.starts[cut.first], lines.end(cut.last), source[lines.starts[cut.first] : lines.end(cut.last)],
                cut.rule_id, "html", cut.evidence)
        for cut in cuts
    )


def _tidied(
    source: str, removals: tuple[Removal, ...], junctions: Sequence[int] | None = None
) -> tuple[tuple[Removal, ...], str]:
    """Add the whitespace tidy-up (blank-line runs, document ends) to the removals, as removals;
    with the text they leave, ``apply_removals(source, tidied)``.

    Recording the tidy-up as spans keeps ``apply_removals(source, removals)`` equal to the
    output, so every pass of the rules sees exactly the text a user would get back.
    ``junctions``: where a pass cut the (tidy) text it saw, in what ``removals`` leave (see
    :func:`tidy_spans`); None looks at the whole text.

    The text left is the one the tidy-up was read from (``kept``) with the tidy spans cut out of it,
    so it is made from ``kept`` rather than by cutting every removal out of ``source`` again (the
    engine needs it for each pass and for the output: short documents paid five cuts). Exact: the tidy
    spans map to the ``source`` characters that ``kept`` holds at those offsets (``spans_to_source``),
    and ``merge_spans`` keeps every character some removal covers, so the removals returned cover
    exactly what ``removals`` did plus those (tests check it). No removals leave ``source`` itself.
    """
    kept = apply_removals(source, removals) if removals else source
    spans = tidy_spans(kept, junctions)
    if not spans:
        return removals, kept
    extra = [
        Removal(a, b, source[a:b], "tidy", "whitespace")
        for pieces in spans_to_source(kept_segments(source, removals), spans)
        for a, b in pieces
    ]
    return merge_spans((*removals, *extra), source), _cut(kept, spans)


def _cut(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without the (sorted, disjoint) ``spans``."""
    parts, pos = [], 0
    for a, b in spans:
        parts.append(text[pos:a])
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _junctions(found: tuple[Removal, ...]) -> list[int]:
    """Where the (sorted, not overlapping) removals ``found`` cut the text they were found in, as
    offsets of what is left of it."""
    junctions, removed = [], 0
    for rem in found:
        junctions.append(rem.start - removed)
        removed += rem.end - rem.start
    return junctions


def _in_source(source: str, removals: tuple[Removal, ...], found: tuple[Removal, ...]) -> list[Removal]:
    """Removals ``found`` in the text ``removals`` kept, as spans of ``source``.

    ``found`` are a pass's (``merge_spans``'s: sorted, non-empty, ends rising). Those ending by the
    first of ``removals`` lie where the kept text is the source at the same offsets, so they are kept
    as they are (the mapping would give each its own span, and its text read there), and only the
    rest are mapped: often all of them are kept, as the removals so far are mostly the trailing
    whitespace. Likewise a removal that maps to one piece at its own offsets.
    """
    if not removals:  # that text is ``source`` itself
        return list(found)
    ahead = bisect_right(found, removals[0].start, key=_END)
    out = list(found[:ahead])
    rest = found[ahead:]
    mapped = spans_to_source(kept_segments(source, removals), [(r.start, r.end) for r in rest])
    for r, pieces in zip(rest, mapped, strict=True):
        if len(pieces) == 1 and pieces[0] == (r.start, r.end):
            out.append(r)
        else:
            out.extend(Removal(a, b, source[a:b], r.rule_id, r.action, r.evidence) for a, b in pieces)
    return out


def _visible_chars(text: str) -> int:
    """Characters other than spaces and line breaks: a cheap size of a text (no regex scan)."""
    return len(text) - text.count(" ") - text.count("\n")


def _html_loss_warning(extracted: str, cleaned: str) -> tuple[str, ...]:
    """A warning when HTML mode kept less than ``HTML_MIN_KEPT_SHARE`` of trafilatura's text.

    The issue asks that HTML mode never fall below trafilatura alone on a page by more than a small
    margin without saying so: past this much loss the rules or detection may have cut the article.
    """
    total = _visible_chars(extracted)
    kept = _visible_chars(cleaned)
    if total and kept < HTML_MIN_KEPT_SHARE * total:
        return (f"html:large-cut: kept {kept / total:.0%} of the text trafilatura extracted; check the removals",)
    return ()


@functools.lru_cache(maxsize=4096)
def _validate_xpath(xpath: str) -> None:
    """Compile an XPath once per process (an invalid one raises again each time: nothing is cached)."""
    from cleaner.html_rules import validate_html_rule  # lxml: HTML mode only

    validate_html_rule(xpath)


def _check_html_rules(rules: Sequence[HtmlRule]) -> None:
    """Compile each rule's XPath; the first invalid one raises ``RuleFileError`` naming its file and rule."""
    from cleaner.html_errors import HtmlRuleError

    for rule in rules:
        try:
            _validate_xpath(rule.xpath)
        except HtmlRuleError as exc:
            raise RuleFileError(rule.source, str(exc), rule_id=rule.id, line=rule.line) from None


def _line_cache() -> LineCache:
    """A fresh detection cache; detection (and its imports) load only when a document uses it."""
    from cleaner.detect.features import LineCache

    return LineCache()


def _check_url(url: object) -> None:
    """Refuse a URL of the wrong type here, with its name, rather than deep in the host lookup."""
    if url is not None and not isinstance(url, str):
        raise TypeError(f"url must be a str or None, not {type(url).__name__}")


class InputTooLarge(ValueError):
    """The document is larger than ``CleanConfig.max_chars``: too big to be one article."""


class Cleaner:
    """Rules compiled once, reused for every document.

    Thread-safe (nothing is mutated after construction) and picklable (it travels as
    its config and parsed rule sets and recompiles on arrival), so build one per
    process or send one to each worker.

    >>> cleaner = Cleaner()
    >>> cleaner.clean("Download App\\nThe council met on Monday.")
    'The council met on Monday.'
    """

    def __init__(self, config: CleanConfig | None = None, *, rulebook: RuleBook | None = None) -> None:
        self.config = config or CleanConfig()
        if rulebook is None:
            dirs = ((bundled_rules_dir(),) if self.config.default_rules else ()) + self.config.rules_dirs
            rulebook = RuleBook.load(dirs)
        self.rulebook = rulebook
        self._active: dict[str | None, tuple[frozenset[int], tuple[int, ...]]] = {}
        for site in (None, *rulebook.sites):
            active = rulebook.active_rules(site, generic=self.config.generic, disabled=self.config.disabled)
            self._active[site] = (active, tuple(sorted(i for i in active if rulebook.rules[i].site is not None)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Cleaner, (self.config,), None, None, None)

    @property
    def ruleset_version(self) -> str:
        """A hash of the rule files in use, to trace a corpus to the rules that made it."""
        return self.rulebook.version

    def html_xpaths(self, url: str | None, page: str | bytes | None = None) -> tuple[str, ...]:
        """The HTML rules (XPaths) for a page: generic ones, then those of the URL's site.

        Given the ``page``, a rule that declares ``classes`` is left out when none of them occurs
        in the page's class attributes (:mod:`cleaner.html_classes`): it could not match there.
        The XPaths are checked here rather than when the rule files load, so that text mode never
        imports lxml; an invalid one raises :class:`RuleFileError` naming its file and rule.
        """
        cfg, book = self.config, self.rulebook
        site = site_for_url(book, url) if url else None
        scope = book.sites[site].site if site else None
        off = set(cfg.disabled) | set(scope.disable if scope else ())
        sets = [rs for rs in book.rulesets if rs.kind == "generic" and cfg.generic]
        if site:
            sets.append(book.sites[site])
        rules = [h for rs in sets for h in rs.html_rules if h.id not in off]
        _check_html_rules(rules)
        if page is not None and any(rule.classes for rule in rules):
            found = page_classes(page)
            rules = [rule for rule in rules if may_match(rule.classes, found)]
        return tuple(rule.xpath for rule in rules)

    def check_html_rules(self) -> None:
        """Raise :class:`RuleFileError` for any HTML rule of the rule book whose XPath is invalid.

        HTML mode checks a page's rules when it first needs them; a pipeline calls this once
        before reading any input, so a typo fails the run up front instead of flagging every page.
        """
        _check_html_rules([h for rs in self.rulebook.rulesets for h in rs.html_rules])

    def clean_html(self, html: str | bytes, *, url: str | None = None) -> CleanResult:
        """HTML mode: trafilatura extracts the article, then the site rules, generic rules and detection.

        Generic and site HTML rules drop their elements before extraction. A first line
        that repeats the page title goes to metadata (``title``) rather than the text,
        as in the benchmarks' gold article bodies. ``CleanConfig.html_detect`` adds detection
        with the model trained on extracted text (:mod:`cleaner.detect.extracted`); it is off
        by default: held out by site it gains little (scrapinghub-dev F1 .9704 -> .9709,
        wcxb-article-dev .9367 -> .9368). A result keeping less than ``HTML_MIN_KEPT_SHARE``
        of trafilatura's text carries an ``html:large-cut`` warning.
        When trafilatura kept only a fragment of the page's prose, the extraction also renders the
        whole page as text (:mod:`cleaner.html_fragment`); cleaned in text mode with detection,
        it replaces HTML mode's result if it keeps over three times as much, with an
        ``html:fragment`` warning, and its removals then refer to that text (``source``).
        Metadata from trafilatura
        (title, author, date, site name, ...) is merged with what the rules extract; the
        rules win where both found a value. Over the time budget it raises
        ``HtmlTimeoutError`` (a ``ValueError``), which pipelines turn into a flagged record.
        """
        from cleaner.html import extract_html

        _check_url(url)
        extraction = extract_html(html, url=url, options=self.config.html, drop_xpaths=self.html_xpaths(url, html))
        title = extraction.metadata.get("title")
        result = self._clean(
            extraction.text,
            url=url,
            headline=title if isinstance(title, str) else None,
            detect=self.config.html_detect,
            mode="html",
            cuts=extraction.cuts,
        )
        metadata = {**extraction.metadata, **result.metadata}
        # Text mode keeps at most the page's text: below the ratio already, it cannot switch.
        page_text = extraction.page_text
        if is_fragment(len(result.text), len(page_text)) and len(page_text) <= self.config.max_chars:
            whole = self._clean(page_text, url=url, headline=None, detect=True)
            if is_fragment(len(result.text), len(whole.text)):
                note = (
                    f"{HTML_FRAGMENT_MARK}: trafilatura kept {len(result.text):,} characters of the article, text mode "
                    f"{len(whole.text):,} from the whole page; the whole page's text was cleaned instead"
                )
                return replace(
                    whole,
                    metadata={**metadata, **whole.metadata},
                    warnings=(*extraction.warnings, *whole.warnings, note),
                )
        return replace(
            result,
            metadata=metadata,
            warnings=(*extraction.warnings, *result.warnings, *_html_loss_warning(extraction.text, result.text)),
        )

    def clean(self, text: str, *, url: str | None = None) -> str:
        return self.clean_document(text, url=url).text

    def clean_document(self, text: str, *, url: str | None = None) -> CleanResult:
        """Repair the encoding, apply site and generic rules, then detection; explain every cut.

        Rules run again on their own output when a position guard held a match back
        or whole lines left the head of the document (so a later marker may now
        qualify), until nothing changes; detection, too, runs again on its own output
        until it finds nothing more (at most six rounds). The output is then a
        fixed point: cleaning it again changes nothing.
        """
        return self._clean(text, url=url, headline=None, detect=self.config.detect)

    def _clean(
        self,
        text: str,
        *,
        url: str | None,
        headline: str | None,
        detect: bool,
        mode: Literal["text", "html"] = "text",
        cuts: Sequence[HtmlCut] = (),
    ) -> CleanResult:
        if not isinstance(text, str):
            hint = "; decode bytes first" if isinstance(text, bytes | bytearray | memoryview) else ""
            raise TypeError(f"clean_document() takes str, not {type(text).__name__}{hint}")
        _check_url(url)
        cfg = self.config
        if len(text) > cfg.max_chars:
            raise InputTooLarge(
                f"document has {len(text):,} characters, more than max_chars={cfg.max_chars:,}; "
                "split it or raise CleanConfig.max_chars"
            )
        repaired = repair_text(text, cfg.encoding)
        source = repaired.text
        book = self.rulebook
        site = choose_site(book, source, url)
        site_name = site.name if site else None
        active, first = self._active[site_name]
        first_cuts = (*headline_removal(source, headline), *_line_cuts(source, cuts))
        removals, view = _tidied(source, merge_spans(first_cuts, source) if first_cuts else ())
        # ``view`` is always ``apply_removals(source, removals)``: kept in step with ``removals`` rather
        # than cut out of ``source`` again by each pass and at the end (short documents paid that 5 times).
        metadata: dict[str, Any] = {}
        warnings: list[str] = []
        rules_due, detect_due = True, detect
        scope, head_scope = active, active & book.head_rule_set
        verdicts: dict[str, dict[str, bool]] = {}
        line_cache = _line_cache() if detect else None  # per-line evidence, shared by this document's passes
        # Each rule's matches held back in its latest pass, located in ``source``; None once a pattern
        # timed out (its verdicts are unknown, so every detection pass is followed by all the rules).
        held: dict[int, list[SourceHeld]] | None = {}
        detect_rounds = 0
        for _ in range(_MAX_PASSES):
            if rules_due:
                head_only = book.head_rule_set.issuperset(scope)
                if head_only and head_pass_finds_nothing(book, view, scope, cfg.regex_timeout):
                    run = RuleRun((), {}, ())  # what the pass would return, without splitting the whole text
                else:
                    run = run_rules(book, view, scope, timeout=cfg.regex_timeout, order=first, verdicts=verdicts)
                for key, value in run.metadata.items():
                    metadata.setdefault(key, value)
                if run.warnings:
                    warnings.extend(w for w in run.warnings if w not in warnings)
                held_now = held_in_source(source, removals, run.held)  # the pass's held matches, in ``source``
                if held is not None:
                    held = _latest_held(held, scope, held_now, run.warnings)
                if run.removals:  # else ``removals`` stand: they are tidied already, and tidying is idempotent
                    # No removals yet: the pass saw ``source`` itself, and its removals are ``merge_spans``'s
                    # (sorted, disjoint, non-empty), which merging again returns as they are.
                    merged = (
                        merge_spans((*removals, *_in_source(source, removals, run.removals)), source)
                        if removals
                        else run.removals
                    )
                    removals, view = _tidied(source, merged, _junctions(run.removals))
                # Would a match held back in the text the pass saw pass its guard in what it left?
                qualifies = bool(run.removals and held_now) and located_may_qualify(book, source, removals, held_now)
                rules_due, scope = next_rules_pass(run, qualifies, scope, active, head_scope)
                detect_due = detect_due or (detect and bool(run.removals))
            detect_due = detect_due and detect_rounds < _MAX_DETECT_ROUNDS
            if detect_due:
                detect_rounds += 1
                found = detect_on_kept(source, removals, url=url, mode=mode, cache=line_cache)
                warnings.extend(w for w in found.warnings if w not in warnings)
                detect_due = any(r.text.strip() for r in found.removals)
                if detect_due:
                    before = removals
                    removals, view = _tidied(source, merge_spans((*removals, *found.removals), source))
                    if held is None:
                        rules_due, scope = True, active
                    else:
                        located = (h for hs in held.values() for h in hs)
                        due, wanted = rules_after_detection(book, source, before, removals, located, active, head_scope)
                        # What the last rules pass asked for still stands: all rules if either asks.
                        if due or rules_due:
                            full = (due and wanted is active) or (rules_due and scope is active)
                            rules_due, scope = True, active if full else head_scope
            if not (rules_due or detect_due):
                break
        out = view
        if not out and source.strip():
            warnings.append("every character was removed: check the removals, the input may not be an article")
        return CleanResult(
            text=out,
            source=source,
            removals=removals,
            metadata=metadata,
            site=site_name,
            site_reason=site.reason if site else None,
            encoding_fixes=repaired.steps,
            warnings=tuple(warnings),
        )


def _latest_held(
    held: dict[int, list[SourceHeld]], scope: frozenset[int], found: list[SourceHeld], warnings: tuple[str, ...]
) -> dict[int, list[SourceHeld]] | None:
    """``held`` with the rules of ``scope`` (those that just ran) holding only what they held this time.

    None when a pattern timed out: its rule was skipped, so what it would hold is unknown.
    """
    if any(TIMEOUT_MARK in w for w in warnings):
        return None
    if not held and not found:  # what the loops below would build: an empty dict (``held`` is never mutated)
        return held
    latest = {idx: located for idx, located in held.items() if idx not in scope}
    for located in found:
        latest.setdefault(located[0], []).append(located)
    return latest


@functools.cache
def default_cleaner(config: CleanConfig | None = None) -> Cleaner:
    """The shared ``Cleaner`` for a config, built on first use (configs are frozen, so hashable)."""
    return Cleaner(config)


def clean(text: str, *, url: str | None = None, config: CleanConfig | None = None) -> str:
    """Clean one article's text and return it."""
    return default_cleaner(config).clean(text, url=url)


def clean_document(text: str, *, url: str | None = None, config: CleanConfig | None = None) -> CleanResult:
    """Clean one article's text and return the text with metadata, site, removals and warnings."""
    return default_cleaner(config).clean_document(text, url=url)


def clean_html(html: str | bytes, *, url: str | None = None, config: CleanConfig | None = None) -> CleanResult:
    """HTML mode: extract the article with trafilatura, then clean it like text."""
    return default_cleaner(config).clean_html(html, url=url)
