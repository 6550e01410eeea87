"""Decide which site rule set applies to a document.

By URL first: the host and each parent domain are looked up (``www.standardmedia.co.ke``
→ ``standardmedia.co.ke`` → ``co.ke``), as adblock engines do. With no URL, by
signatures: distinctive literals of the site's template found in the text; the site
with the most distinct signature hits wins (ties: by name, so the choice is stable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from cleaner.literals import encodable
from cleaner.result import SiteReason
from cleaner.rulebook import RuleBook


@dataclass(frozen=True, slots=True)
class SiteMatch:
    name: str
    reason: SiteReason


#: The common shape of a page URL, whose host ``urlsplit`` would return as it stands: a lower-case
#: scheme, then a host of lower-case letters, digits, dots and hyphens up to the path, query,
#: fragment or end (no user, port, brackets, upper case, or tab and line break, which it deletes).
_PLAIN_URL = re.compile(r"https?://([a-z0-9.-]+)(?=[/?#]|\Z)")


def host_of(url: str) -> str | None:
    """The lower-cased host of a URL, tolerating a missing scheme; None when there is none.

    A URL of the common plain shape (``_PLAIN_URL``) is read with one match, which costs a tenth
    of ``urlsplit``; every other goes through ``urlsplit``.
    """
    candidate = url.strip()
    plain = _PLAIN_URL.match(candidate)
    if plain is not None:
        return plain.group(1).strip(".")
    if "://" not in candidate:
        candidate = "//" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    return host.strip(".").lower() if host else None


def site_for_url(book: RuleBook, url: str) -> str | None:
    host = host_of(url)
    while host:
        if host in book.hosts:
            return book.hosts[host]
        _, _, host = host.partition(".")
    return None


def site_for_text(book: RuleBook, text: str) -> str | None:
    if book.signature_automaton is None:
        return None
    try:
        matches = book.signature_automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:  # a lone surrogate
        matches = book.signature_automaton.find_matches_as_indexes(encodable(text), overlapping=True)
    hits: dict[str, set[int]] = {}
    for idx, _start, _end in matches:
        hits.setdefault(book.signature_sites[idx], set()).add(idx)
    if not hits:
        return None
    return min(hits, key=lambda name: (-len(hits[name]), name))


def choose_site(book: RuleBook, text: str, url: str | None) -> SiteMatch | None:
    """The site set for this document and why; None when no site set applies."""
    if url:
        name = site_for_url(book, url)
        return SiteMatch(name, "url") if name else None
    name = site_for_text(book, text)
    return SiteMatch(name, "signature") if name else None
