"""Notice when trafilatura kept only a fragment of the article, and give the whole page's text instead.

Why: on some pages trafilatura settles on one part of the article - the intro, one section of a
listicle, a recipe's header - and drops the rest: on wcxb-article-dev 28 of 790 pages keep under a
third of what text mode finds on the whole page, most of them with recall under 0.3. Those pages
spread their article over several sibling containers, which its main-content search does not join.
Text mode (rules, then detection on the whole page's text) reads the page as a flat run of lines
and keeps the long contiguous prose region, wherever it sits in the markup.

So HTML mode measures the page's prose - the characters of its text nodes of at least
``PROSE_NODE_CHARS`` (spaces collapsed) outside scripts and styles, a count done on the parsed
tree in about 1 ms - and, when that exceeds ``CANDIDATE_RATIO`` times what trafilatura kept,
renders the whole page as text (inscriptis, as the text-mode input is rendered in the benchmarks:
links and images not shown, lines stripped, blank-line runs cut to one). The cleaner cleans that
text in text mode and uses it only when it keeps more than ``FRAGMENT_RATIO`` times what HTML mode
kept (see ``Cleaner.clean_html``). The prose count is only a cheap filter (rendering costs
10-20 ms a page); the decision is the second comparison.

Measured on the dev sets with the bundled rules (HTML mode's output against gold; F1 / P / R):

=====================================  ========================  ========================
variant                                wcxb-article-dev           scrapinghub-dev
=====================================  ========================  ========================
off                                    .9401 / .9400 / .9402      .9709 / .9645 / .9774
switch at 2.5 (every page rendered)    .9450 / .9309 / .9595      .9703 / .9559 / .9852
switch at 3 (every page rendered)      .9459 / .9333 / .9589      .9709 / .9645 / .9774
switch at 4 (every page rendered)      .9444 / .9337 / .9553      .9709 / .9645 / .9774
candidates at 2, switch at 3           .946 / .933 / .959         .971 / .964 / .977
+ comment sections left out (shipped)  .947 / .935 / .959         .971 / .964 / .977
=====================================  ========================  ========================

With the shipped settings 46 of 790 wcxb pages (12 of 83 scrapinghub pages) are rendered and 25
(none) switch. Reader-comment sections are left out of the rendered page for the reason HTML
mode leaves them out of trafilatura's extraction: a long thread reads as prose to text mode, and
two pages (a news aggregator, a blog with 59 comments) switched to their comments before. The
pages that still lose when they switch carry long legal text or review tables outside the part
trafilatura chose.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

#: Text nodes at least this long count as prose: menus, buttons and labels are shorter.
PROSE_NODE_CHARS = 60
#: A page with over this many times the prose trafilatura kept is rendered whole, as a candidate.
CANDIDATE_RATIO = 2.0
#: Text mode keeps over this many times what HTML mode kept: trafilatura took a fragment.
FRAGMENT_RATIO = 3.0
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
_BLANK_RUNS = re.compile(r"\n{3,}")
#: Reader-comment sections by their id or class (WordPress, Disqus and the common spellings).
_COMMENT_SECTIONS = (
    "//*[self::div or self::section or self::aside or self::ol or self::ul or self::details]["
    r"re:test(@id, '^(?:comments?\b|comment-list|respond$|disqus_thread|dsq-comments)', 'i') or "
    r"re:test(@class, '(?:^|\s)(?:comments?|comment-list|commentlist|comments-area|comment-section"
    r"|article-comments|post-comments)(?:\s|$)', 'i')]"
)


def prose_chars(tree: Any) -> int:
    """Characters of the page's long text nodes (outside scripts and styles): its prose, roughly.

    >>> from lxml import html
    >>> page = html.document_fromstring("<html><body><p>" + "word " * 20 + "</p><li>Home</li></body></html>")
    >>> prose_chars(page)  # the paragraph's 20 words, spaces collapsed; "Home" is too short
    99
    """
    from lxml import etree

    nodes = etree.XPath(f"//body//text()[string-length(normalize-space(.)) >= {PROSE_NODE_CHARS}]")(tree)
    return sum(len(" ".join(node.split())) for node in nodes if node.getparent().tag not in _NOT_TEXT)


def is_candidate(prose: int, kept: int) -> bool:
    """The page holds over ``CANDIDATE_RATIO`` times the prose that was kept: worth rendering whole.

    >>> is_candidate(prose=10_000, kept=1_000), is_candidate(prose=2_000, kept=1_000)
    (True, False)
    """
    return prose > CANDIDATE_RATIO * kept


def is_fragment(kept: int, whole: int) -> bool:
    """Text mode on the whole page kept over ``FRAGMENT_RATIO`` times what HTML mode kept.

    >>> is_fragment(kept=1_000, whole=4_000), is_fragment(kept=1_000, whole=2_500)
    (True, False)
    """
    return whole > FRAGMENT_RATIO * kept


def page_text(tree: Any) -> str:
    """The whole page as plain text, as text mode expects it: one line per block, list bullets kept.

    Reader-comment sections (``id``/``class`` such as ``comments``, ``commentlist``,
    ``disqus_thread``) are left out, as HTML mode leaves them out of trafilatura's extraction:
    comments are never article text, and a long thread reads as prose to text mode. ``tree``
    itself is not changed.

    >>> from lxml import html
    >>> page_text(html.document_fromstring(
    ...     "<html><body><h1>Title</h1><ul><li>One</li></ul><p>Text.</p>"
    ...     "<section id='comments'><p>Great post!</p></section></body></html>"))
    'Title\\n\\n* One\\n\\nText.'
    """
    from inscriptis import Inscriptis
    from inscriptis.model.config import ParserConfig
    from lxml import etree

    tree = deepcopy(tree)
    for section in etree.XPath(_COMMENT_SECTIONS, namespaces={"re": "http://exslt.org/regular-expressions"})(tree):
        parent = section.getparent()
        if parent is not None:
            parent.remove(section)
    text = Inscriptis(tree, ParserConfig(display_links=False, display_images=False)).get_text()
    return _BLANK_RUNS.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()
