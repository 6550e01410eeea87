"""Site selection: URL host suffix walk first, text signatures when there is no URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.sites import choose_site, host_of


def test_host_of_tolerates_missing_scheme_and_case() -> None:
    assert host_of("https://WWW.Standardmedia.co.ke/x?y=1") == "www.standardmedia.co.ke"
    assert host_of("standardmedia.co.ke/path") == "standardmedia.co.ke"
    assert host_of("") is None


def _host_by_urlsplit(url: str) -> str | None:
    candidate = url.strip()
    candidate = candidate if "://" in candidate else "//" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    return host.strip(".").lower() if host else None


@settings(max_examples=2000, deadline=None)
@given(
    st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", " http://", ""]),
    st.text(alphabet="ab0.-A:@[]%/?#\t\n é", max_size=16),
)
def test_host_of_a_plain_url_is_what_urlsplit_reads(scheme: str, rest: str) -> None:
    """The one-match path for plain URLs answers exactly as ``urlsplit`` does, and the others go to it."""
    url = scheme + rest
    assert host_of(url) == _host_by_urlsplit(url)


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
