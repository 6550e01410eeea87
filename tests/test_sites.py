"""Site selection: URL host suffix walk first, text signatures when there is no URL."""

from __future__ import annotations

from cleaner import Cleaner
from cleaner.sites import choose_site, host_of


def test_host_of_tolerates_missing_scheme_and_case() -> None:
    assert host_of("https://WWW.Standardmedia.co.ke/x?y=1") == "www.standardmedia.co.ke"
    assert host_of("standardmedia.co.ke/path") == "standardmedia.co.ke"
    assert host_of("") is None


def test_url_selects_site_by_host_and_subdomain(cleaner: Cleaner) -> None:
    match = choose_site(cleaner.rulebook, "any text", "https://www.standardmedia.co.ke/article/1")
    assert match is not None and (match.name, match.reason) == ("standardmedia", "url")


def test_unrelated_host_that_merely_ends_alike_does_not_match(cleaner: Cleaner) -> None:
    assert choose_site(cleaner.rulebook, "text", "https://notstandardmedia.co.ke/x") is None


def test_signature_selects_site_without_url(cleaner: Cleaner) -> None:
    text = "Story.\nFollow The Standard channel on WhatsApp\n© 2026. The Standard Group PLC."
    match = choose_site(cleaner.rulebook, text, None)
    assert match is not None and (match.name, match.reason) == ("standardmedia", "signature")


def test_url_wins_over_signature(cleaner: Cleaner) -> None:
    text = "Story. END [Copyright The Jiji Press, Ltd.]"
    assert choose_site(cleaner.rulebook, text, "https://example.com/x") is None


def test_no_site_for_plain_text(cleaner: Cleaner) -> None:
    assert cleaner.clean_document("Just an article.").site is None
