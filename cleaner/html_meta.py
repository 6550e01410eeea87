"""A page's metadata as plain fields: title, author, date, site name, description, language, URL.

Why a module of its own: metadata is read apart from the text. By default it comes from the
page's ``<head>`` alone (:func:`light_metadata`, about 2 ms), not from trafilatura's whole-page
search, which costs more than the extraction itself; with ``HtmlOptions(full_metadata=True)``
trafilatura's document is turned into the same fields (:func:`metadata_dict`). Either way it is
read from the untouched page, so a module dropped by an HTML rule never hides the title or date.
The extraction (:mod:`cleaner.html_extract`) calls these functions; their libraries (htmldate,
trafilatura's metadata helpers, lxml) load on first use.
"""

from __future__ import annotations

import contextlib
import re
from copy import deepcopy
from typing import Any

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.I)
_META_LANG = re.compile(
    r"<meta[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)",
    re.I,
)
_METADATA_FIELDS = ("title", "author", "date", "sitename", "description", "categories", "tags", "url")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-\u2013\u2014\u00b7:]\s+")
_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.I)
#: The host of an http(s) URL past any user info, without "www."; none for an IP-v6 literal ("[::1]").
_SITE_FROM_URL = re.compile(r"https?://(?:[^/?#@]*@)?(?:www\.|w[0-9]+\.)?([^/:?#@\[\]]+)")


def page_language(page: str) -> str | None:
    """The language the page declares (``<html lang>``, else a content-language meta tag), ``_`` as ``-``."""
    head = page[:20_000]
    match = _HTML_LANG.search(head) or _META_LANG.search(head)
    return match.group(1).replace("_", "-") if match else None


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


def light_metadata(page: str, url: str | None, extensive_date_search: bool, tree: Any = None) -> dict[str, Any]:
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
    return metadata_dict(document)


def metadata_dict(document: Any) -> dict[str, Any]:
    """The fields of a trafilatura document that were found, stripped: strings, and lists for categories and tags."""
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
