"""HTML mode's options, apart from :mod:`cleaner.html` so configuring a cleaner does not import it.

``CleanConfig`` holds an ``HtmlOptions``, so every process that builds a cleaner needs this class,
while a rules-only text run never needs HTML mode itself: :mod:`cleaner.html` (its imports and
compiled patterns, ~20 ms) loads only when a page is extracted. ``cleaner.html`` re-exports
the class, so ``from cleaner.html import HtmlOptions`` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HtmlOptions:
    """trafilatura options for HTML mode, fixed by measurement on the dev sets.

    Scored with the benchmark metric (4-token shingles; F1 / P / R averaged over pages) on
    ``scrapinghub-dev`` (83 pages) and ``wcxb-article-dev`` (790 pages), trafilatura 2.3.1 alone,
    ``extract(html, url=url, **options)``; docs/s are one process, two jobs sharing two cores:

    ====================================  =====================  =====================
    option set                            scrapinghub F1/P/R     wcxb-article F1/P/R
    ====================================  =====================  =====================
    defaults                              .956/.935/.977  54/s   .927/.914/.941  35/s
    include_comments=False                .959/.942/.977  63/s   .933/.925/.940  35/s
    + favor_precision                     .958/.953/.964  59/s   .918/.931/.907  28/s
    + favor_recall                        .964/.949/.979  90/s   see below
    + include_tables=False                .960/.946/.975  65/s   .926/.925/.927  34/s
    + deduplicate (per page)              .959/.942/.977  62/s   .933/.926/.940  34/s
    + fast                                .965/.950/.979  83/s   .918/.925/.911  48/s
    + with_metadata (extensive date)      .959/.942/.977  24/s   (same text)
    ====================================  =====================  =====================

    Chosen: no comments (reader comments are never gold article text), tables kept (dropping
    them costs recall on WCXB), balanced focus, per-page deduplication (free, and trims
    repeated blocks), metadata on with htmldate's *quick* date search: the extensive search
    more than halves throughput for a date the page's meta tags nearly always give.

    ``deduplicate`` uses a fresh cache per page: trafilatura's default cache is global to the
    process, which would make a page's output depend on the pages seen before it.
    ``drop_outside_tail`` drops the lines trafilatura appends after the article from outside the
    article's element (:mod:`cleaner.html_tail`: wcxb-article-dev F1 +.0024, scrapinghub-dev +.0005,
    for about 9% more time).
    ``fragment_rescue`` renders the whole page as text when trafilatura kept under half of the
    page's prose, for the cleaner to clean in text mode and use if it keeps over three times as
    much (:mod:`cleaner.html_fragment`: wcxb-article-dev F1 .939 -> .947, recall .940 -> .959;
    scrapinghub-dev unchanged; about 10% more time on wcxb-article-dev, 20-25% on scrapinghub-dev).
    ``time_budget_s`` bounds one page (``None``: no bound, run in the calling process).
    """

    include_comments: bool = False
    include_tables: bool = True
    favor_precision: bool = False
    favor_recall: bool = True
    fast: bool = False
    deduplicate: bool = False
    extensive_date_search: bool = False
    full_metadata: bool = False
    drop_outside_tail: bool = True
    fragment_rescue: bool = True
    time_budget_s: float | None = 10.0
