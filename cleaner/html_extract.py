"""Extract one page in this process: prepare the text, run trafilatura, add metadata and cuts.

Why a module of its own: this is the work the time budget bounds. :mod:`cleaner.html_worker`
runs :func:`extract_in_process` in a subprocess it can kill, and :mod:`cleaner.html` calls it
directly when there is no budget; either way plain builtins go in and out, so the answer can
cross a pipe. Empty, binary and content-less input give empty text and a warning, not an
exception (the input policy of :mod:`cleaner.html`).

The worker imports this module without the package's ``__init__`` (see
:mod:`cleaner.html_worker`), so it imports only its sibling modules, never the rest of
boilerstrip; trafilatura, lxml and ftfy load on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from cleaner import html_fragment, html_tail
from cleaner.html_decode import decode_with_codec
from cleaner.html_meta import light_metadata, metadata_dict, page_language
from cleaner.html_rules import element_only
from cleaner.result import HTML_TRUNCATED_MARK

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


def extract_in_process(
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
        page, encoding = decode_with_codec(page, None)
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

    full_metadata = options["full_metadata"]
    date_params = {"original_date": True, "extensive_search": options["extensive_date_search"]}

    warnings: list[str] = []

    def extract(page: str) -> tuple[Any, Any]:
        # Parsed here (see _parse_page), so the untouched tree is left for the tail check and the
        # fragment rescue: trafilatura works on a copy of a tree it is given (~1 ms against ~4 ms
        # for a second parse).
        tree, truncated = _parse_page(page)
        if truncated and not any(w.startswith(HTML_TRUNCATED_MARK) for w in warnings):
            warnings.append(f"{HTML_TRUNCATED_MARK}: the page nests elements over 2,048 deep; the parser stopped "
                            "there and the text after that point is lost")
        # A trafilatura Document (a dict only with as_dict=True, which is not used here).
        document = trafilatura.bare_extraction(
            page if tree is None else tree,
            url=url,
            **trafilatura_settings(options),
            with_metadata=full_metadata,
            date_extraction_params=date_params,
            prune_xpath=[element_only(x) for x in drop_xpaths] or None,
        )
        return tree, document

    tree, document = extract(page)
    if document is not None and _latin1_mojibake(document.body):
        import ftfy

        page = ftfy.fix_encoding(page)
        tree, document = extract(page)
        warnings.append("html:mojibake: the page was UTF-8 read as Latin-1; repaired before extraction")
    if full_metadata:
        metadata = metadata_dict(document) if document is not None else {}
    else:
        metadata = light_metadata(page, url, options["extensive_date_search"], tree)
    language = page_language(page)
    if language:
        metadata["language"] = language
    if url and "url" not in metadata:
        metadata["url"] = url

    text, cuts = "", []
    if document is not None:
        text = unicodedata.normalize("NFC", document.text or "").strip()
        if options["drop_outside_tail"] and tree is not None and text:
            lines = text.split("\n")
            tail = html_tail.outside_tail(tree, lines)
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
        gone = sum(len(line) + 1 for first, last, *_ in cuts for line in text.split("\n")[first : last + 1])
        if html_fragment.is_candidate(html_fragment.prose_chars(tree), len(text) - gone):
            try:
                whole = html_fragment.page_text(tree)
            except Exception as exc:  # the rescue is optional: trafilatura's text stands
                warnings.append(f"html:render-failed: the whole page could not be rendered ({type(exc).__name__})")
    return text, metadata, warnings, encoding, cuts, whole
