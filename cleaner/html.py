"""HTML mode: decode the bytes, drop site-declared elements, extract the article with trafilatura.

Why this module exists
----------------------
trafilatura is the strongest open main-content extractor on our dev sets, so HTML mode starts
from its output and lets boilerstrip's text rules clean what it leaves behind. This module is
the HTML half only: it turns a page (``str`` or ``bytes``) into an :class:`HtmlExtraction`
(plain text, metadata, warnings). The text rules run on ``HtmlExtraction.text`` afterwards,
in the API layer, so this module stays self-contained and knows nothing about rulebooks.

Time budget (why a worker process)
----------------------------------
trafilatura has no timeout in library use: a pathological page (huge tables, deeply nested
markup, a regex meeting a giant attribute) can run for minutes, and one such page must not stall
a batch. The options considered:

* ``signal.alarm``: only works in the main thread of the main interpreter, so not in thread pools
  (Dask, Ray threaded actors, web servers), and a Python signal handler only runs between
  bytecodes: a long call inside lxml/libxml2 or ``re`` is not interrupted at all.
* a thread with ``join(timeout)``: the caller gets control back but the thread keeps burning a
  core and memory; Python threads cannot be killed.
* a **worker subprocess** that can be killed: really stops the work, whatever it is doing, in
  any thread, inside ``multiprocessing`` pool workers (which are daemonic and may not start
  ``multiprocessing`` children, but may start plain subprocesses) and inside Spark executors.

So extraction runs in a long-lived worker started with :mod:`subprocess` (one per calling thread,
created lazily, so threads extract in parallel). Requests and answers are ``marshal``-ed
builtins over pipes (about 0.1 ms per page, against ~15-30 ms of extraction). The budget clock
starts once the worker is up, so its start-up (importing trafilatura, ~1 s) is never charged to a
page. Over budget, the worker is killed, :class:`HtmlTimeoutError` is raised, and the next call
starts a fresh worker. A crash of the worker (segfault in a C library, out of memory) becomes an
:class:`HtmlError` instead of killing the caller. A worker inherited through ``fork`` is never
reused by the child (its pipes belong to the parent). ``time_budget_s=None`` runs trafilatura in
the calling process with no bound (tests, debugging, platforms without ``select`` on pipes).

Input policy (why garbage is not an exception)
----------------------------------------------
Empty input, binary data and pages where trafilatura finds no main content give an
:class:`HtmlExtraction` with empty ``text`` and a warning (``html:empty-input``,
``html:binary-input``, ``html:no-content``): these are answers about the page, and a batch
should record them and move on. Errors are kept for what the caller must act on: an over-budget
page (:class:`HtmlTimeoutError`, the record is flagged and may be retried), a dead worker, and an
invalid HTML rule (:class:`HtmlRuleError`, a bug in a site file). A page the parser could not read
to its end (``html:truncated``) keeps what was read, and pipelines flag it, since text is missing.

HTML-level site rules
---------------------
Site files (``rules/sites/*.yaml``) declare elements to remove *before* extraction under
``html_rules``; the rule loader passes their ``xpath`` values to ``extract_html(drop_xpaths=...)``::

    html_rules:
      - id: standardmedia.html.related-module
        description: Related-stories box inside the article body.
        xpath: '//div[contains(@class,"related")]'
        examples:
          remove: ['<div class="related"><a>Other story</a></div>']
          keep: ['<p>Article text.</p>']

* ``xpath`` is XPath 1.0 as evaluated by lxml on the parsed page (tag names lower-case). Only
  element nodes are removed: an expression that selects attributes or text matches nothing.
  Text following a removed element (its "tail") is kept, so an inline match never eats prose.
* Removal happens after metadata extraction, so a dropped module never hides the title or date.
* Check a rule with :func:`validate_html_rule` (raises :class:`HtmlRuleError`), and
  test its examples with :func:`check_html_rule_example`: every ``remove`` snippet must give
  ``True`` and every ``keep`` snippet ``False``.
* Prefer class/id tokens of the site's real template over positions (``//div[3]``), which break
  when the template shifts.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import importlib.util
import logging
import marshal
import os
import re
import select
import struct
import subprocess
import sys
import threading
import time
import unicodedata
import weakref
from collections.abc import Mapping, Sequence
from copy import deepcopy
from dataclasses import asdict, dataclass, field
from typing import Any

from cleaner.html_options import HtmlOptions

try:
    import fcntl
except ImportError:  # Windows: no fcntl, pipes keep their default size
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "HtmlError",
    "HtmlExtraction",
    "HtmlOptions",
    "HtmlRuleError",
    "HtmlTimeoutError",
    "check_html_rule_example",
    "decode_html",
    "extract_html",
    "extract_text_only",
    "validate_html_rule",
]


class HtmlError(ValueError):
    """HTML extraction failed in a way the caller must handle (flag the record, fix a rule)."""


class HtmlTimeoutError(HtmlError):
    """Extraction of one page exceeded its time budget; the work was stopped (worker killed)."""


class HtmlRuleError(HtmlError):
    """An HTML rule's XPath is invalid or does not select nodes (a bug in a site file)."""


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


# --------------------------------------------------------------------------- decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset=x>, <meta http-equiv=content-type content="text/html; charset=x">, <?xml encoding=x?>
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Labels browsers treat as a superset (WHATWG Encoding Standard): pages declaring the narrow
# charset routinely contain the wider one's characters (curly quotes as 0x93/0x94, etc.).
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}
# Labels Python does not know, as browsers resolve them.
_ALIASES = {"x-sjis": "cp932", "windows-31j": "cp932", "x-euc-jp": "euc_jp", "x-gbk": "gb18030"}
# 7-bit encodings: their bytes are valid UTF-8, so a declaration must win over the UTF-8 test.
_SEVEN_BIT = {"iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_kr", "hz", "utf_7"}
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_DETECTION_SAMPLE = 32_768


def _codec(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, widened to what browsers use; None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_ALIASES.get(label, label)).name.replace("-", "_")
    except LookupError:
        return None
    if name in {"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"}:
        # a UTF-16 label inside an ASCII-readable document is a lie (WHATWG: treat as UTF-8)
        return "utf_8"
    return _SUPERSETS.get(name, name)


def _declared_in_document(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return _codec(match.group(1) or match.group(2)) if match else None


def _utf8_with_stray_bytes(data: bytes) -> bool:
    """True if the bytes are UTF-8 apart from a few stray legacy bytes (a pasted cp1252 quote).

    Such mixed pages are common (templates in UTF-8, one snippet in cp1252); handing them to a
    detector would re-decode every correct character as mojibake.
    """
    valid = _UTF8_SEQUENCE.findall(data)
    if not valid:
        return False
    stray = len(_HIGH_BYTE.findall(data)) - sum(len(s) for s in valid)
    return stray * 10 <= len(valid)


def _utf8_then_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("boilerstrip-cp1252", _utf8_then_cp1252)


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess on a head+tail sample (whole-page detection is slow)."""
    from charset_normalizer import from_bytes

    size = _DETECTION_SAMPLE
    sample = data if len(data) <= 2 * size else data[:size] + data[-size:]
    try:
        best = from_bytes(sample).best()
    except Exception:  # a detector bug must not lose the page: the caller falls back to UTF-8
        return None
    return _codec(best.encoding) if best is not None else None


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    """Decode and say which codec was used (see :func:`decode_html` for the order)."""
    if not data:
        return "", "utf_8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name.replace("-", "_")
    candidates = [c for c in (_codec(declared), _declared_in_document(data)) if c]
    for name in candidates:
        if name in _SEVEN_BIT:
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    if _utf8_with_stray_bytes(data):
        return data.decode("utf-8", errors="boilerstrip-cp1252"), "utf_8"
    for name in candidates:
        if name != "utf_8":
            with contextlib.suppress(UnicodeDecodeError, LookupError):
                return data.decode(name), name
    name = _detect(data) or "utf_8"
    try:
        return data.decode(name, errors="replace"), name
    except LookupError:
        return data.decode("utf-8", errors="replace"), "utf_8"


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes whose charset declaration may be wrong or missing; never raises.

    Order, from strongest evidence to weakest: a byte-order mark; a declared 7-bit encoding
    (ISO-2022-JP bytes are also valid UTF-8); valid UTF-8 (legacy text is almost never valid
    UTF-8 by accident, while pages declaring ISO-8859-1 but serving UTF-8 are common); UTF-8
    with a few stray cp1252 bytes, decoded byte by byte; the ``declared`` charset (HTTP header)
    then the page's own ``<meta charset>`` if the bytes decode cleanly with it; charset-normalizer's
    guess; UTF-8 with replacement characters. Narrow labels are widened as browsers do
    (ISO-8859-1 -> cp1252, Shift_JIS -> cp932). Mojibake inside correctly decoded text (text
    that was already double-encoded at the source) is left to the text-mode encoding repair.
    """
    return _decode(bytes(data), declared)[0]


# --------------------------------------------------------------------------- HTML rules

def _element_only(xpath: str) -> str:
    """Wrap an expression so it can only ever select elements (never attributes or text)."""
    return f"({xpath})[self::*]"


def validate_html_rule(xpath: str) -> None:
    """Raise :class:`HtmlRuleError` if ``xpath`` is not a usable node-selecting XPath 1.0."""
    from lxml import etree, html

    if not isinstance(xpath, str) or not xpath.strip():
        raise HtmlRuleError(f"HTML rule xpath must be a non-empty string, got {xpath!r}")
    try:
        etree.XPath(_element_only(xpath))(html.document_fromstring("<html><body><p>x</p></body></html>"))
    except etree.XPathError as exc:
        raise HtmlRuleError(f"invalid HTML rule xpath {xpath!r}: {exc}") from exc


def check_html_rule_example(xpath: str, snippet: str) -> bool:
    """True if ``xpath`` matches an element of the HTML ``snippet`` (for rule-example tests).

    The snippet is parsed as the body of a page, as the rule will see it on a real page.
    """
    from lxml import etree, html

    validate_html_rule(xpath)
    tree = html.document_fromstring(f"<html><body>{snippet}</body></html>")
    return bool(etree.XPath(_element_only(xpath))(tree))


# --------------------------------------------------------------------------- extraction proper

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.I)
_META_LANG = re.compile(
    r"<meta[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)",
    re.I,
)
_LOOKS_LIKE_PAGE = re.compile(r"<html\b", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: lxml stops reading a string at a lone surrogate, so the rest of the page would be lost.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: A numeric character reference to a character XML cannot hold but lxml's HTML parser makes:
#: C0 controls other than tab, line feed and carriage return, U+FFFE and U+FFFF (it makes
#: ``&#0;``, surrogates and values past U+10FFFF U+FFFD itself). One pattern with no callback:
#: pages hold thousands of harmless references (``&#8217;``), and this runs on every page.
_XML_INVALID_REF = re.compile(
    r"&#(?:0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9])"
    r"|[xX]0*(?:[1-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])(?![0-9a-fA-F]));?"
)


def _xml_safe_references(page: str) -> str:
    """Blank the character references (``&#1;``, ``&#xFFFF;``) to characters XML cannot hold.

    trafilatura takes the parsed page through XML, and on such a character it finds no content at
    all: one stray ``&#27;`` lost a whole article. A literal control character does no harm (the
    parser drops it); a space never joins two words.
    """
    return _XML_INVALID_REF.sub(" ", page)
# A UTF-8 lead byte and a continuation byte read as Latin-1 (the continuation is a C1 control).
# trafilatura deletes control characters from its text, which leaves "debtânearly" for
# "debt—nearly": past extraction the mojibake can no longer be repaired, so it is caught before.
_LATIN1_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u009f]")


def _latin1_mojibake(body: Any) -> bool:
    """The extracted article (trafilatura's element, before its text is cleaned) holds Latin-1 mojibake."""
    from lxml import etree

    if body is None:
        return False
    text = etree.tostring(body, method="text", encoding=str)
    return not text.isascii() and _LATIN1_MOJIBAKE.search(text) is not None
_METADATA_FIELDS = ("title", "author", "date", "sitename", "description", "categories", "tags", "url")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-\u2013\u2014\u00b7:]\s+")
_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.I)
#: The host of an http(s) URL past any user info, without "www."; none for an IP-v6 literal ("[::1]").
_SITE_FROM_URL = re.compile(r"https?://(?:[^/?#@]*@)?(?:www\.|w[0-9]+\.)?([^/:?#@\[\]]+)")


def _language(page: str) -> str | None:
    head = page[:20_000]
    match = _HTML_LANG.search(head) or _META_LANG.search(head)
    return match.group(1).replace("_", "-") if match else None


def _hit_limit(parser: Any) -> bool:
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)


def _parse_page(page: str) -> tuple[Any, bool]:
    """The page parsed as trafilatura parses it, past libxml2's safety limits; and whether it was cut short.

    libxml2 stops at an element nested 256 deep or at a text node over 10 MB (an inline script
    holding a page's state), and drops the rest of the page: 300 unclosed ``<div>`` before the
    article left trafilatura no content at all. Such a page is parsed again with the limits off
    (``huge_tree``), as trafilatura's loader would (same parser options, same repairs); the worker
    process and the time budget bound what it costs. Even then libxml2 stops at 2,048 levels,
    which the second value reports. The tree is None when trafilatura finds no HTML.
    """
    from lxml import html
    from trafilatura import utils

    tree = utils.load_html(page)
    if not _hit_limit(utils.HTML_PARSER):
        return tree, False
    parser = html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                             remove_pis=True, huge_tree=True)
    repaired = utils.repair_faulty_html(page, page[:50].lower())
    tree = html.fromstring(repaired.encode("utf-8", "surrogatepass"), parser=parser)
    return tree, _hit_limit(parser)


def _head_tree(page: str, tree: Any = None) -> Any:
    """The page's ``<head>`` alone, as a document: a few kB instead of the whole page.

    Copied out of the parsed page when there is one (a fraction of a millisecond), else parsed
    from the page's text up to ``</head>``.
    """
    from lxml import html

    head = tree.find("head") if tree is not None else None
    if head is not None:
        document = html.Element("html")
        document.append(deepcopy(head))
        document.append(html.Element("body"))
        return document
    end = _HEAD_END.search(page, 0, 2_000_000)
    text = page[: end.start()] if end else page[:100_000]
    with contextlib.suppress(Exception):
        return html.document_fromstring(f"{text}</head><body></body></html>")
    return None


def _strip_site_suffix(title: str, sitename: str | None) -> str:
    """'Council approves budget | Example Times' -> 'Council approves budget' (the site is a field)."""
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if separators and sitename and title[separators[-1].end() :].strip().lower() == sitename.strip().lower():
        return title[: separators[-1].start()].strip()
    return title


def _light_metadata(page: str, url: str | None, extensive_date_search: bool, tree: Any = None) -> dict[str, Any]:
    """Metadata from the page's head only: meta tags, OpenGraph, JSON-LD, title, canonical URL, date.

    trafilatura's ``with_metadata`` also scans the whole body for authors, categories, tags and
    licence: on wcxb-article-dev that costs more than the text extraction itself (~40 ms a page
    against ~22 ms), for fields a news page almost always declares in its head. Parsing and
    reading the head alone costs about 2 ms. ``tree`` is the parsed page, if any, whose head is
    then copied rather than parsed again. ``HtmlOptions(full_metadata=True)`` restores
    trafilatura's full search.
    """
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_url

    tree = _head_tree(page, tree)
    if tree is None:
        return {}
    document = examine_meta(tree)
    with contextlib.suppress(Exception):  # malformed JSON-LD must not lose the page
        document = extract_meta_json(tree, document)
    if document.author and " " not in document.author:
        document.author = None  # a single token is a handle or a site name, as trafilatura judges
    if not document.title and (title := tree.findtext(".//title")):
        document.title = _strip_site_suffix(title.strip(), document.sitename)
    document.url = document.url or extract_url(tree, url)
    with contextlib.suppress(Exception):
        document.date = find_date(
            tree, url=document.url or url, original_date=True, extensive_search=extensive_date_search
        )
    if not document.sitename and (match := _SITE_FROM_URL.match(document.url or url or "")):
        document.sitename = match.group(1)
    return _metadata_dict(document)


def _metadata_dict(document: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for name in _METADATA_FIELDS:
        value = getattr(document, name, None)
        if isinstance(value, list):
            value = [str(v).strip() for v in value if v and str(v).strip()]
        elif value is not None:
            value = str(value).strip()
        if value:
            metadata[name] = value
    return metadata


def _sibling(name: str) -> Any:
    """Module ``name`` of this package; loaded from its file when this module runs as the worker.

    The worker loads this file without the package (see :func:`_serve`), so a plain
    ``import cleaner.x`` there would import all of boilerstrip into every worker.
    """
    if __package__:
        return importlib.import_module(f"{__package__}.{name}")
    private = f"_boilerstrip_{name}"
    if private not in sys.modules:
        spec = importlib.util.spec_from_file_location(private, os.path.join(os.path.dirname(__file__), f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[private] = module  # before running it, as dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[private]


def trafilatura_settings(options: Mapping[str, Any]) -> dict[str, Any]:
    """trafilatura's extraction keywords for HtmlOptions' settings (``asdict(HtmlOptions())``).

    ``deduplicate`` gets a fresh cache per call: trafilatura's default cache is global to the process.
    """
    from trafilatura.deduplication import LRUCache

    return {
        "fast": options["fast"],
        "favor_precision": options["favor_precision"],
        "favor_recall": options["favor_recall"],
        "include_comments": options["include_comments"],
        "include_tables": options["include_tables"],
        "deduplicate": LRUCache(maxsize=4096) if options["deduplicate"] else False,
    }


_Extracted = tuple[str, dict[str, Any], list[str], str | None, list[tuple[int, int, str, str]], str]


def _extract_local(
    page: str | bytes, url: str | None, options: dict[str, Any], drop_xpaths: Sequence[str]
) -> _Extracted:
    """Decode, extract and collect metadata in this process: ``(text, metadata, warnings, encoding, cuts, page_text)``.

    Plain builtins in and out, so the same function serves the worker protocol and inline use.
    Metadata is read from the untouched page, so a module dropped by an HTML rule never hides
    the title or date.
    """
    import trafilatura

    encoding = None
    if isinstance(page, bytes):
        page, encoding = _decode(page, None)
    elif not page.isascii():
        try:
            page.encode("utf-8")  # the fast test: a lone surrogate is the one thing it refuses
        except UnicodeEncodeError:
            page = _SURROGATE.sub("\ufffd", page)  # as bytes that do not decode become U+FFFD
    page = _xml_safe_references(page)
    if not page.strip():
        return "", {}, ["html:empty-input: the page is empty"], encoding, [], ""
    if len(_CONTROL.findall(page[:4096])) > 0.05 * min(len(page), 4096):
        return "", {}, ["html:binary-input: the input is binary data, not HTML"], encoding, [], ""
    if not _LOOKS_LIKE_PAGE.search(page[:4096]):
        # trafilatura rejects documents without an <html> tag; a bare fragment is still a page
        page = f"<html><body>{page}</body></html>"

    truncated_mark = _sibling("result").HTML_TRUNCATED_MARK
    full_metadata = options["full_metadata"]
    date_params = {"original_date": True, "extensive_search": options["extensive_date_search"]}

    warnings: list[str] = []

    def extract(page: str) -> tuple[Any, Any]:
        # Parsed here (see _parse_page), so the untouched tree is left for the tail check and the
        # fragment rescue: trafilatura works on a copy of a tree it is given (~1 ms against ~4 ms
        # for a second parse).
        tree, truncated = _parse_page(page)
        if truncated and not any(w.startswith(truncated_mark) for w in warnings):
            warnings.append(f"{truncated_mark}: the page nests elements over 2,048 deep; the parser stopped "
                            "there and the text after that point is lost")
        # A trafilatura Document (a dict only with as_dict=True, which is not used here).
        document = trafilatura.bare_extraction(
            page if tree is None else tree,
            url=url,
            **trafilatura_settings(options),
            with_metadata=full_metadata,
            date_extraction_params=date_params,
            prune_xpath=[_element_only(x) for x in drop_xpaths] or None,
        )
        return tree, document

    tree, document = extract(page)
    if document is not None and _latin1_mojibake(document.body):
        import ftfy

        page = ftfy.fix_encoding(page)
        tree, document = extract(page)
        warnings.append("html:mojibake: the page was UTF-8 read as Latin-1; repaired before extraction")
    if full_metadata:
        metadata = _metadata_dict(document) if document is not None else {}
    else:
        metadata = _light_metadata(page, url, options["extensive_date_search"], tree)
    language = _language(page)
    if language:
        metadata["language"] = language
    if url and "url" not in metadata:
        metadata["url"] = url

    text, cuts = "", []
    if document is not None:
        text = unicodedata.normalize("NFC", document.text or "").strip()
        if options["drop_outside_tail"] and tree is not None and text:
            lines = text.split("\n")
            tail = _sibling("html_tail").outside_tail(tree, lines)
            if tail is not None:
                first, last = tail
                cut = sum(map(len, lines[first : last + 1])) + last - first + 1
                warnings.append(f"html:outside-tail: dropped {cut} characters after the article, outside its element")
                cuts.append((first, last, "html:outside-tail", "lines after the article, from outside its element"))
        if options["include_comments"] and document.comments:
            text = f"{text}\n{unicodedata.normalize('NFC', document.comments)}".strip()
    if not text:
        warnings.append("html:no-content: trafilatura found no main content")
    whole = ""
    if options["fragment_rescue"] and tree is not None:
        fragment = _sibling("html_fragment")
        gone = sum(len(line) + 1 for first, last, *_ in cuts for line in text.split("\n")[first : last + 1])
        if fragment.is_candidate(fragment.prose_chars(tree), len(text) - gone):
            try:
                whole = fragment.page_text(tree)
            except Exception as exc:  # the rescue is optional: trafilatura's text stands
                warnings.append(f"html:render-failed: the whole page could not be rendered ({type(exc).__name__})")
    return text, metadata, warnings, encoding, cuts, whole


# --------------------------------------------------------------------------- worker process

_HEADER = struct.Struct(">Q")
_STARTUP_TIMEOUT_S = 120.0
_BOOT = (
    "import importlib.util, sys\n"
    "sys.path[:0] = {paths!r}\n"
    "spec = importlib.util.spec_from_file_location('_boilerstrip_html_worker', {file!r})\n"
    "module = importlib.util.module_from_spec(spec)\n"
    "sys.modules[spec.name] = module\n"
    "spec.loader.exec_module(module)\n"
    "module._serve()\n"
)


def _write_frame(stream: Any, obj: Any) -> None:
    payload = marshal.dumps(obj)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_frame(stream: Any) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    return marshal.loads(stream.read(size))


def _serve() -> None:
    """Worker main loop: one request in, one answer out, until the parent closes the pipe.

    The module is loaded from its file under a private name (not as ``cleaner.html``), so the
    worker never imports the rest of the package. Protocol frames own the real stdout;
    anything printed by libraries goes to stderr.
    """
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    import trafilatura  # noqa: F401  -- import before "ready" so start-up is not charged to a page

    _sibling("html_tail")
    _sibling("html_fragment")
    _sibling("result")

    _write_frame(out, ("ready",))
    while (request := _read_frame(sys.stdin.buffer)) is not None:
        try:
            answer: tuple[Any, ...] = ("ok", *_extract_local(*request))
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        _write_frame(out, answer)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


_PIPE_BYTES = 1 << 20


def _widen_pipe(stream: Any) -> None:
    """Let a whole page fit in the request pipe (Linux; elsewhere, and past the system cap, a no-op).

    With the default 64 kB pipe a 270 kB page (the wcxb-article-dev mean) is handed over in five
    rounds, each waking the worker and then the parent again; in one write it costs about
    0.3 ms less per page on a loaded two-core machine.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if stream is not None and set_size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(stream.fileno(), set_size, _PIPE_BYTES)


class _Worker:
    """One extraction subprocess, owned by one thread of one process."""

    def __init__(self) -> None:
        boot = _BOOT.format(paths=[p for p in sys.path if p], file=os.path.abspath(__file__))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", boot], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
            )
        except OSError as exc:
            raise HtmlError(f"cannot start the HTML extraction worker: {exc}") from exc
        self.owner_pid = os.getpid()
        self._finalizer = weakref.finalize(self, _kill, self.process)
        _widen_pipe(self.process.stdin)
        if self._read(_STARTUP_TIMEOUT_S) != ("ready",):
            self.close()
            raise HtmlError("the HTML extraction worker did not start")

    def alive(self) -> bool:
        return self.owner_pid == os.getpid() and self.process.poll() is None

    def close(self) -> None:
        self._finalizer()

    def _read(self, timeout: float) -> Any:
        """Read one frame before ``timeout`` seconds pass; None on timeout or end of stream."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        buffer = bytearray()
        needed = _HEADER.size
        header_done = False
        while len(buffer) < needed:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, needed - len(buffer))
            if not chunk:
                return None
            buffer += chunk
            if not header_done and len(buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(buffer)
                needed, header_done = _HEADER.size + size, True
        return marshal.loads(bytes(buffer[_HEADER.size : needed]))

    def call(self, request: tuple[Any, ...], budget: float) -> tuple[Any, ...]:
        assert self.process.stdin is not None
        start = time.monotonic()
        try:
            _write_frame(self.process.stdin, request)
        except OSError as exc:
            self.close()
            raise HtmlError(f"the HTML extraction worker died: {exc}") from exc
        answer = self._read(max(budget - (time.monotonic() - start), 0.0))
        if answer is None:
            died = self.process.poll() is not None
            self.close()
            if died:
                raise HtmlError("the HTML extraction worker died while extracting this page")
            raise HtmlTimeoutError(f"HTML extraction exceeded its time budget of {budget:g} s; stopped")
        return answer


_local = threading.local()


def _worker() -> _Worker:
    worker = getattr(_local, "worker", None)
    if worker is None or not worker.alive():
        if worker is not None and worker.owner_pid == os.getpid():
            worker.close()
        worker = _local.worker = _Worker()
    return worker


# --------------------------------------------------------------------------- public entry points

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
    from cleaner.html_repeats import repeated_runs  # not at the top: the worker must not load the package

    if not isinstance(html, str | bytes | bytearray):
        raise TypeError(f"extract_html takes str or bytes, got {type(html).__name__}")
    xpaths = list(drop_xpaths)
    for xpath in xpaths:
        validate_html_rule(xpath)
    page = bytes(html) if isinstance(html, bytearray) else html
    settings = {k: v for k, v in asdict(options).items() if k != "time_budget_s"}
    budget = options.time_budget_s
    if budget is None:
        text, metadata, warnings, encoding, raw_cuts, whole = _extract_local(page, url, settings, xpaths)
    else:
        if budget <= 0:
            raise ValueError(f"time_budget_s must be positive or None, got {budget!r}")
        answer = _worker().call((page, url, settings, xpaths), budget)
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
