"""The class tokens written in a page's source, so that HTML rules keyed to class names run only where they can match.

Why: lxml evaluates an XPath such as ``//*[contains(@class, 'cta')][...]`` by reading the class
attribute of every element, about 0.6 ms on a 190 kB page (wcxb-article-dev), and a generic rule
by class name runs on every page: one such rule costs 1-2% of HTML mode's time, whether or not
the page uses the class at all (most do not: the class tokens of a widget plugin occur on a few
pages in a hundred). An HTML rule that declares its ``classes`` (the tokens one of which every
element it selects carries) runs only on pages whose source has one of them in a class attribute.
Reading every class attribute of the source is one pass of a regex with a literal prefix, about
0.4 ms for that page, whatever the number of rules.

The source is read as written, so the tokens are a superset of what the parser sees (class
attributes inside scripts and comments count too), and a rule is never skipped on a page it could
match, with two exceptions worth knowing: an attribute name in capitals (``CLASS=``) and a token
written with character references (``class="a&#32;b"``). A page where no class attribute is
found at all (also a page handed over as UTF-16 bytes) gives ``None``: every rule runs there.
On the two dev sets (873 pages, the bundled rules) the rules with ``classes`` are skipped in 94%
of their page runs, never on a page where their XPath would have selected an element, and HTML
mode's time against trafilatura's went down slightly (the ``nocontent`` rule now runs on 1 page
in 150) while six rules by class name were added.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# The value of every class attribute: quoted with either quote, or unquoted (up to the next quote
# or '>', which may take in more than the value: a superset again).
_CLASS_VALUE = re.compile(r"class\s*=\s*[\"']?([^\"'>]*)")
_CLASS_VALUE_BYTES = re.compile(rb"class\s*=\s*[\"']?([^\"'>]*)")


def page_classes(page: str | bytes) -> frozenset[str] | None:
    """The class tokens written in the page's source; ``None`` if it has no class attribute.

    >>> sorted(page_classes('<div class="post cta"><p class=lead>Text</p></div>'))
    ['cta', 'lead', 'post']
    >>> page_classes(b"<p>No classes here.</p>") is None
    True
    """
    if isinstance(page, str):
        values = " ".join(_CLASS_VALUE.findall(page))
    else:
        values = b" ".join(_CLASS_VALUE_BYTES.findall(page)).decode("utf-8", "replace")
    tokens = frozenset(values.split())
    return tokens or None


def may_match(classes: Collection[str], found: frozenset[str] | None) -> bool:
    """True if a rule requiring one of ``classes`` can match a page with the class tokens ``found``.

    A rule that declares no classes, and a page whose classes are unknown, always qualify.

    >>> may_match(("cta", "post-cta"), frozenset({"post", "cta"})), may_match(("cta",), frozenset({"post"}))
    (True, False)
    >>> may_match((), frozenset({"post"})), may_match(("cta",), None)
    (True, True)
    """
    return not classes or found is None or not found.isdisjoint(classes)
