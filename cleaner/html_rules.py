"""HTML-level site rules: check an XPath, test it on its examples, and confine it to elements.

Why a module of its own: a pipeline checks every HTML rule of the rule book before it reads any
input (a bad XPath is a bug in a site file, reported with its file and line), and the
rule-example tests run each rule on its snippets, all without extracting a page; the
extraction (:mod:`cleaner.html_extract`) only applies the rules, through :func:`element_only`.

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

from cleaner.html_errors import HtmlRuleError


def element_only(xpath: str) -> str:
    """Wrap an expression so it can only ever select elements (never attributes or text)."""
    return f"({xpath})[self::*]"


def validate_html_rule(xpath: str) -> None:
    """Raise :class:`HtmlRuleError` if ``xpath`` is not a usable node-selecting XPath 1.0."""
    from lxml import etree, html

    if not isinstance(xpath, str) or not xpath.strip():
        raise HtmlRuleError(f"HTML rule xpath must be a non-empty string, got {xpath!r}")
    try:
        etree.XPath(element_only(xpath))(html.document_fromstring("<html><body><p>x</p></body></html>"))
    except etree.XPathError as exc:
        raise HtmlRuleError(f"invalid HTML rule xpath {xpath!r}: {exc}") from exc


def check_html_rule_example(xpath: str, snippet: str) -> bool:
    """True if ``xpath`` matches an element of the HTML ``snippet`` (for rule-example tests).

    The snippet is parsed as the body of a page, as the rule will see it on a real page.
    """
    from lxml import etree, html

    validate_html_rule(xpath)
    tree = html.document_fromstring(f"<html><body>{snippet}</body></html>")
    return bool(etree.XPath(element_only(xpath))(tree))
