"""The exceptions HTML mode raises: what the caller must act on (flag the record, fix a rule).

Why a module of its own: they are raised from three places - the rule checks
(:mod:`cleaner.html_rules`), the worker process that enforces the time budget
(:mod:`cleaner.html_worker`) and the entry point (:mod:`cleaner.html`) - which must share one
class hierarchy without importing one another. :mod:`cleaner.html` exports them with
:func:`~cleaner.html.extract_html`, whose contract they are.
"""

from __future__ import annotations


class HtmlError(ValueError):
    """HTML extraction failed in a way the caller must handle (flag the record, fix a rule)."""


class HtmlTimeoutError(HtmlError):
    """Extraction of one page exceeded its time budget; the work was stopped (worker killed)."""


class HtmlRuleError(HtmlError):
    """An HTML rule's XPath is invalid or does not select nodes (a bug in a site file)."""
