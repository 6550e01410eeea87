"""Behaviour of the text-only boilerplate detector (cleaner.detect) on small hand-made pages."""

from __future__ import annotations

import pytest
import yaml

from cleaner.detect import Detection, DetectionResult, clean_text_only, detect_boilerplate, remove_spans
from cleaner.detect.data import rules_dir
from cleaner.detect.features import split_lines
from cleaner.detect.phrases import default_matcher, ends_in_credit

ARTICLE = [
    "The city council voted on Tuesday to expand the bus network, adding three new routes that will connect "
    "the northern suburbs with the hospital and the university campus.",
    "Officials said the new routes would start running in March, after drivers have been hired and trained. "
    "The plan was approved by a vote of seven to two after a long debate.",
    "Residents who spoke at the meeting said they had waited years for a direct connection to the hospital, "
    "and several thanked the council for listening to their concerns.",
    "The two members who voted against the plan said it was too expensive and that the money should have "
    "gone to repairing roads, which they described as being in a poor state.",
    "The transport department will publish the new timetables on its website next month, and it expects the "
    "first buses to carry around four thousand passengers a day.",
]

NAV = ["* Home", "* News", "* Sport", "* Business", "* Culture", "* Travel", "* Weather", "* Contact"]
SHARE = ["Share on Facebook", "Share on Twitter", "Share via Email"]
RELATED = [
    "Related Articles",
    "Mayor announces new parking rules for the city centre",
    "Bridge closure to last until the end of the summer",
    "Local school wins national science competition",
    "Council approves budget for new library building",
    "Record crowds expected at this year's harbour festival",
]
COOKIE = "We use cookies to give you the best experience on our website. By continuing you agree to our use of cookies."
FOOTER = ["© 2024 Example News. All rights reserved.", "* Privacy Policy", "* Terms of Use"]


def page(*parts: list[str] | str) -> str:
    """Join blocks of lines into inscriptis-like page text (blocks separated by blank lines)."""
    blocks = [p if isinstance(p, str) else "\n".join(p) for p in parts]
    return "\n\n".join(blocks) + "\n"


def removed_lines(text: str, result: DetectionResult) -> dict[str, str]:
    """Map each removed (non-blank) line to the rule id that removed it."""
    out = {}
    for span in result.spans:
        for line in text[span.start : span.end].splitlines():
            if line.strip():
                out[line.strip()] = span.rule_id
    return out


@pytest.fixture
def full_page() -> str:
    return page(NAV, "Council expands bus network", ARTICLE[:3], SHARE, ARTICLE[3:], RELATED, COOKIE, FOOTER)


def test_article_paragraphs_stay(full_page: str) -> None:
    out = clean_text_only(full_page)
    for paragraph in ARTICLE:
        assert paragraph in out


def test_nav_run_removed(full_page: str) -> None:
    gone = removed_lines(full_page, detect_boilerplate(full_page))
    for item in NAV:
        assert item in gone
    assert gone["* Sport"] == "heuristic:nav-run"


def test_share_bar_removed_even_inside_article(full_page: str) -> None:
    gone = removed_lines(full_page, detect_boilerplate(full_page))
    for item in SHARE:
        assert gone.get(item) == "heuristic:share-line"


def test_share_button_that_reads_like_a_sentence_goes_inside_the_article() -> None:
    """Share and follow lines are removed wherever they stand, even when their label ends like a sentence
    (the prose guard protects article sentences, not buttons)."""
    buttons = ["Click to share on Facebook (Opens in new window)", "Follow us on Twitter and Facebook for updates."]
    text = page(NAV, "Council expands bus network", ARTICLE[:3], buttons, ARTICLE[3:], FOOTER)
    gone = removed_lines(text, detect_boilerplate(text))
    assert {gone.get(b) for b in buttons} == {"heuristic:share-line"}
    assert not set(ARTICLE) & set(gone)


def test_related_list_removed(full_page: str) -> None:
    gone = removed_lines(full_page, detect_boilerplate(full_page))
    for item in RELATED:
        assert item in gone
    assert gone["Related Articles"] == "heuristic:post-article"


def test_cookie_notice_and_footer_removed(full_page: str) -> None:
    gone = removed_lines(full_page, detect_boilerplate(full_page))
    assert gone.get(COOKIE) == "heuristic:cookie-notice"
    assert FOOTER[0] in gone


def test_spans_are_sorted_whole_lines_with_evidence(full_page: str) -> None:
    result = detect_boilerplate(full_page, url="https://example.com/news/1")
    assert not result.fell_back and result.warning is None
    previous_end = 0
    for span in result.spans:
        assert isinstance(span, Detection)
        assert previous_end <= span.start < span.end <= len(full_page)
        assert span.start == 0 or full_page[span.start - 1] == "\n"
        assert span.end == len(full_page) or full_page[span.end - 1] == "\n"
        assert span.rule_id.startswith("heuristic:")
        assert span.evidence
        previous_end = span.end


def test_clean_article_is_left_alone() -> None:
    # Clean news prose (like the golden seed articles): detection must remove nothing.
    text = page(
        "Starmer Extends Invitation to Japan's Prime Minister After Strategic Tokyo Talks",
        "British Prime Minister Sir Keir Starmer used the culmination of substantive talks in Tokyo to formally "
        "invite Japanese Prime Minister Sanae Takaichi to visit the United Kingdom, signalling a renewed focus on "
        "reinforcing bilateral ties amid shifting global dynamics.",
        "The invitation followed discussions in the Japanese capital on strengthening cooperation in "
        "cybersecurity, economic resilience and the supply of critical minerals.",
        "Both countries also reaffirmed commitments to multilateral trade initiatives and bolstering economic "
        "resilience against external shocks.",
    )
    result = detect_boilerplate(text)
    assert [s for s in result.spans if "Starmer" in text[s.start : s.end] or "countries" in text[s.start : s.end]] == []
    assert "Both countries also reaffirmed" in remove_spans(text, result.spans)


def test_short_article_not_emptied() -> None:
    text = page("Short note", "The museum will be closed on Monday for maintenance work.")
    result = detect_boilerplate(text)
    assert "museum will be closed" in remove_spans(text, result.spans)


def test_only_chrome_falls_back_with_warning() -> None:
    text = page(NAV, ["* Login", "* Register"], FOOTER)
    result = detect_boilerplate(text)
    if result.fell_back:
        assert result.spans == () and result.warning
    else:
        assert remove_spans(text, result.spans).strip()


def test_empty_and_blank_input() -> None:
    assert detect_boilerplate("").spans == ()
    assert detect_boilerplate("\n\n  \n").spans == ()


def test_deterministic(full_page: str) -> None:
    assert detect_boilerplate(full_page) == detect_boilerplate(full_page)


def test_russian_page() -> None:
    article = [
        "В среду в городе открылся новый мост через реку, строительство которого продолжалось почти три года "
        "и обошлось бюджету в несколько миллиардов рублей.",
        "По словам мэра, новый мост позволит разгрузить центр города и сократить время в пути для жителей "
        "северных районов, которые раньше тратили на дорогу больше часа.",
        "Движение по мосту будет открыто для всех видов транспорта уже с понедельника, а пешеходная часть "
        "заработает после завершения благоустройства набережной.",
    ]
    related = ["Читайте также", "В городе откроют три новые школы", "Цены на проезд вырастут с января"]
    text = page(["* Главная", "* Новости", "* Спорт", "* Контакты"], article, related, "© 2024 Все права защищены")
    out = clean_text_only(text)
    for paragraph in article:
        assert paragraph in out
    assert "Читайте также" not in out
    assert "* Спорт" not in out


def test_japanese_page() -> None:
    article = [
        "先日、市内で新しい図書館が開館し、初日には多くの市民が訪れて館内の見学や本の貸し出しを楽しみました。",
        "新しい図書館には約二十万冊の本が所蔵されており、子ども向けの読書スペースや学習室も設けられています。",
        "市の担当者によると、今後は地域の学校と連携して読書イベントを定期的に開催する予定だということです。",
    ]
    text = page(["* ホーム", "* ニュース", "* お問い合わせ"], article, ["関連記事", "* 市役所の窓口時間が変更"],
                "Copyright © Example City All rights reserved.")
    out = clean_text_only(text)
    for paragraph in article:
        assert paragraph in out
    assert "関連記事" not in out


def test_portuguese_teaser_line_removed() -> None:
    article = [
        "A prefeitura anunciou nesta terça-feira um novo programa de reforma das escolas municipais, que deve "
        "beneficiar mais de vinte mil alunos até o fim do próximo ano.",
        "Segundo a secretária de educação, as obras começam em janeiro e serão feitas durante as férias para não "
        "atrapalhar as aulas dos estudantes.",
        "O investimento total previsto é de cerca de cinquenta milhões de reais, vindos do orçamento municipal e "
        "de recursos do governo estadual.",
    ]
    text = page(article[:2], "Leia mais: Prefeitura abre inscrições para cursos gratuitos", article[2:])
    result = detect_boilerplate(text)
    gone = removed_lines(text, result)
    assert gone.get("Leia mais: Prefeitura abre inscrições para cursos gratuitos") == "heuristic:teaser-link"
    out = remove_spans(text, result.spans)
    for paragraph in article:
        assert paragraph in out


def test_comment_thread_after_article_removed() -> None:
    comments = [
        "1. jdoe says:",
        "November 19, 2019 at 6:34 am",
        "This is the best decision the council has made in years, finally some common sense.",
        "2. asmith says:",
        "November 19, 2019 at 7:02 am",
        "I disagree completely, the roads are falling apart and nobody seems to care about it.",
    ]
    text = page(ARTICLE, comments)
    out = clean_text_only(text)
    assert ARTICLE[-1] in out
    assert "jdoe says" not in out and "nobody seems to care" not in out


def test_phrase_files_are_lists_of_strings() -> None:
    files = sorted((rules_dir() / "lang").glob("*.yaml"))
    assert files
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("lines", "contains"):
            for category, phrases in (doc.get(key) or {}).items():
                assert all(isinstance(p, str) and p.strip() for p in phrases), (path.name, category)


def test_headline_and_byline_above_article_go_only_on_a_page_dump(full_page: str) -> None:
    # On a whole-page dump the headline between the menu and the first paragraph is not article text...
    assert "Council expands bus network" not in clean_text_only(full_page)
    # ...but clean text keeps its title.
    clean = page("Council expands bus network", ARTICLE)
    assert clean_text_only(clean).startswith("Council expands bus network")


def test_short_sentence_after_article_stays() -> None:
    text = page(ARTICLE[:2], "The final report is due in May.")
    assert "The final report is due in May." in clean_text_only(text)


def test_more_news_box_mid_article_does_not_cut_the_story() -> None:
    text = page(ARTICLE[:2], ["More news", "Five things to do this weekend"], ARTICLE[2:])
    out = clean_text_only(text)
    for paragraph in ARTICLE:
        assert paragraph in out


def test_phrase_categories_have_rule_ids() -> None:
    from cleaner.detect.data import phrase_lists
    from cleaner.detect.structures import PHRASE_RULES

    lines, contains = phrase_lists()
    assert set(lines.values()) | set(contains.values()) <= set(PHRASE_RULES)


def test_cjk_sentence_in_english_text_stays() -> None:
    text = page(ARTICLE[:2], "東京都の発表によると、ＡＢＣ社は２０２６年に新工場を開設する。", ARTICLE[2:])
    out = clean_text_only(text)
    assert "東京都の発表によると" in out
    for paragraph in ARTICLE:
        assert paragraph in out


def test_blog_widgets_after_the_article_go() -> None:
    """WordPress/Jetpack furniture under a post: the like widget, post navigation, copy-link notes.

    (Jetpack's "Like this:" heading is not a phrase: in prose it introduces an example.)
    """
    widgets = ["Like Loading...", "Post navigation", "Previous post", "Copied!"]
    text = page(ARTICLE, widgets)
    gone = removed_lines(text, detect_boilerplate(text))
    assert set(widgets) <= set(gone)
    assert not set(ARTICLE) & set(gone)


@pytest.mark.parametrize(
    "button",
    ["Book a demo", "Start your free trial", "Request a demo", "Try it for free", "Apply now", "Continue reading",
     "Book now"],
)
def test_sales_button_inside_the_article_goes(button: str) -> None:
    text = page(ARTICLE[:3], button, ARTICLE[3:])
    gone = removed_lines(text, detect_boilerplate(text))
    assert gone == {button: "heuristic:teaser-link"}


def test_disclaimers_after_the_article_go() -> None:
    """Disclaimers and notices under a story read like sentences; their wording marks them as legal lines."""
    disclaimers = [
        "This material is provided for informational purposes only and does not replace the advice of a "
        "qualified advisor.",
        "Opinions expressed by contributors do not necessarily reflect the views of Example News.",
    ]
    text = page(NAV, "Council expands bus network", ARTICLE, SHARE, disclaimers, FOOTER)
    gone = removed_lines(text, detect_boilerplate(text))
    assert {gone.get(d) for d in disclaimers} == {"heuristic:legal-line"}
    assert not set(ARTICLE) & set(gone)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Share sensitive information only on official, secure websites."),
        ("en", "All other names are registered trademarks of their respective companies."),
        ("de", "Die Inhalte dienen nur zu Informationszwecken."),
        ("it", "È vietata la riproduzione anche parziale dei contenuti."),
        ("en", "As an Amazon Associate I earn from qualifying purchases."),
        ("en", "If you buy through links on this page, we may earn an affiliate commission."),
    ],
)
def test_notice_wording_marks_a_legal_line(lang: str, line: str) -> None:
    assert split_lines(line, lang, default_matcher()).phrase == ["legal"]


@pytest.mark.parametrize(
    "caption",
    [
        "Residents queue for the first bus of the new northern route on Tuesday morning. (Jane Doe/AP)",
        "The new buses will run every ten minutes at peak times. Credit: Example Transit Authority",
        "A driver checks the timetable at the depot on Monday. Jane Doe / Getty Images",
    ],
)
def test_caption_ending_in_a_photo_credit_goes_even_inside_the_article(caption: str) -> None:
    text = page(NAV, "Council expands bus network", ARTICLE[:2], caption, ARTICLE[2:], FOOTER)
    gone = removed_lines(text, detect_boilerplate(text))
    assert gone.get(caption) == "heuristic:image-caption"
    assert not set(ARTICLE) & set(gone)


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("spain's rafael nadal celebrates a point. (manu fernandez/ap)", True),
        ("the moon lander, as drawn by the company. credit: spacex", True),
        ("trump asked voters for a big win. credit... doug mills/the new york times", True),
        ("o presidente chegou ao palácio. foto: agência brasil", True),
        ("* credit: the spruce eats", True),
        ("the child tax credit: what you need to know", False),
        ("image: the docker image to run, e.g. nginx:latest", False),
        ("the agency said it would appeal the ruling (ap)", False),
        ("pack a wallet (credit/debit cards, cash, etc.)", False),
        ("image: nginx", False),  # a configuration line in a technical article
        ("sea levels rose by 3.4 mm a year over the decade. (source: nasa)", False),  # articles cite sources
    ],
)
def test_ends_in_credit(line: str, credit: bool) -> None:
    assert ends_in_credit(line) is credit


def test_author_box_after_the_article_goes() -> None:
    """A name line, a job title and a bio opening with the name, at the end of the prose: the author box."""
    bio = "Jane Doe is a transport reporter who has covered city politics and the council for ten years."
    text = page(NAV, ARTICLE, ["Jane Doe", "Staff Writer", bio], SHARE, FOOTER)
    removed = removed_lines(text, detect_boilerplate(text))
    assert removed["Jane Doe"] == removed[bio] == "heuristic:author-bio"
    assert not any(line in removed for line in ARTICLE)


def test_heading_repeated_by_its_paragraph_stays() -> None:
    """A section heading whose paragraph opens with the same words is article text, not an author box."""
    closing = "Bus Network"
    paragraph = "Bus network changes of this size are rare, and the council says it will review the routes in a year."
    text = page(NAV, ARTICLE, [closing, paragraph], SHARE, FOOTER)
    removed = removed_lines(text, detect_boilerplate(text))
    assert paragraph not in removed
    assert "heuristic:author-bio" not in removed.values()


def test_comment_count_heading_ends_the_article() -> None:
    """Readers' comments after "2 thoughts on “Title”" go, though they read like prose."""
    comments = [
        "I have waited years for a bus to the hospital, and I am so glad the council finally listened to us.",
        "The money would have been better spent on the roads, which are in a terrible state in my street.",
    ]
    text = page(NAV, ARTICLE, ["2 thoughts on “Council expands bus network”"], comments, FOOTER)
    removed = removed_lines(text, detect_boilerplate(text))
    assert removed["2 thoughts on “Council expands bus network”"] == "heuristic:comments"
    assert all(c in removed for c in comments)
    assert not any(line in removed for line in ARTICLE)


@pytest.mark.parametrize(
    "label",
    ["Advertisement", "ADVERTISEMENT", "Advertisement - Continue Reading Below", "Story continues below advertisement"],
)
def test_ad_label_inside_the_article_goes(label: str) -> None:
    """An ad slot's label between two paragraphs is never article text, whatever the model makes of its place."""
    text = page(NAV, "Council expands bus network", ARTICLE[:3], label, ARTICLE[3:], FOOTER)
    gone = removed_lines(text, detect_boilerplate(text))
    assert gone.get(label) == "heuristic:advertisement"
    assert not set(ARTICLE) & set(gone)


@pytest.mark.parametrize(("lang", "label"), [("de", "Anzeige"), ("pt", "Publicidade"), ("ru", "Реклама")])
def test_ad_labels_in_other_languages(lang: str, label: str) -> None:
    assert split_lines(label, lang, default_matcher()).phrase == ["ad"]


def test_sentence_about_an_advertisement_stays() -> None:
    """Only a line that *is* an ad label goes: article text that mentions one is no label."""
    line = "The advertisement ran in three newspapers last week and drew hundreds of complaints."
    text = page(NAV, ARTICLE[:3], line, ARTICLE[3:], FOOTER)
    assert line in clean_text_only(text)


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("ReplyDelete", "comment-form"),  # Blogger's buttons under each comment
        ("How useful was this post?", "comment-form"),  # star-rating widgets
        ("Click on a star to rate it!", "comment-form"),
        ("This field is for validation purposes and should be left unchanged.", "comment-form"),
        ("Thanks for reading Example Weekly! Subscribe for free to receive new posts and support my work.",
         "newsletter"),
        ("Join our mailing list", "newsletter"),
        ("Share with a friend", "share"),
        ("Older posts", "nav"),
        ("Table of Contents", "nav"),  # the heading of a contents box; its entries repeat the headings
        ("In this article:", "nav"),
    ],
)
def test_reader_widget_wording(line: str, category: str) -> None:
    """Comment buttons, rating and form widgets, newsletter footers: the standard wording of blog engines."""
    assert split_lines(line, "en", default_matcher()).phrase == [category]


def test_sentence_opening_like_a_button_stays() -> None:
    """A call-to-action phrase that opens a long sentence inside the article is no button."""
    line = "Continue reading the report, the mayor told councillors, and you will see what the routes cost."
    text = page(NAV, ARTICLE[:3], line, ARTICLE[3:], FOOTER)
    assert line in clean_text_only(text)


@pytest.mark.parametrize(
    ("lang", "line", "byline"),
    [
        ("en", "By Jane Doe", True),
        ("en", "By: Jane Doe, Staff Writer", True),
        ("en", "Written by Jane Doe and John Roe", True),
        ("en", "* By Jane Doe | Nov. 19, 2019", True),
        ("pt", "Por João Silva", True),
        ("en", "By the end of the year", False),  # no capitalised name after the opener
        ("en", "by clicking here", False),
        ("en", "By Jane Doe, who has covered the council for ten years and knows every one of its members", False),
        ("en", "Bystanders Gather", False),  # the opener is a word of its own
    ],
)
def test_byline_line(lang: str, line: str, byline: bool) -> None:
    """A short line opening with a byline word and a capitalised name is post metadata: phrase ``byline``."""
    assert (split_lines(line, lang, default_matcher()).phrase == ["byline"]) is byline


def test_notice_wording_outranks_a_byline_opening() -> None:
    """A cookie or legal notice that happens to open like a byline keeps its notice category."""
    line = "By Continuing To Use This Site You Agree"
    assert split_lines(line, "en", default_matcher()).phrase == ["cookie"]


def test_sentence_opening_with_by_stays() -> None:
    line = "By the end of the year, the council expects to have hired forty new drivers for the routes."
    text = page(NAV, ARTICLE[:2], line, ARTICLE[2:], FOOTER)
    assert line in clean_text_only(text)


def test_reply_links_mark_a_comment_thread() -> None:
    """Threaded comments name the comment each reply answers ("Reply to Jane"): two such links after the
    article open the thread, and the readers' text goes though it reads like prose."""
    thread = [
        "Jane Roe",
        "6 months ago",
        "I have waited years for a bus to the hospital, and I am so glad the council finally listened to us.",
        "Reply",
        "John Poe",
        "Reply to Jane Roe",
        "The money would have been better spent on the roads, which are in a terrible state in my street.",
        "Reply",
        "Jane Roe",
        "Reply to John Poe",
        "The roads are being repaired next year anyway, so the buses are the better use of the money now.",
    ]
    text = page(NAV, ARTICLE, thread, FOOTER)
    removed = removed_lines(text, detect_boilerplate(text))
    assert removed["Reply to Jane Roe"] == "heuristic:comments"
    assert thread[6] in removed and thread[10] in removed
    assert not any(line in removed for line in ARTICLE)


@pytest.mark.parametrize(("line", "reply"), [("Reply to Jane Roe", True), ("Reply to all emails within a day", False)])
def test_reply_link_names_a_commenter(line: str, reply: bool) -> None:
    assert (split_lines(line, "en", default_matcher()).phrase == ["comment-meta"]) is reply


@pytest.mark.parametrize(
    ("chars", "prose"),
    [
        ([], []),
        ([5], [False]),
        ([40, 3, 80, 7, 120, 2, 60], [True, False, True, False, True, False, True]),
        ([9, 9, 9, 9], [True, True, True, True]),
        ([100, 1, 1, 1], [True, False, False, False]),
    ],
)
def test_prose_position_matches_the_per_line_definition(chars: list[int], prose: list[bool]) -> None:
    from itertools import accumulate

    from cleaner.detect.context import prose_position

    total = float(sum(c for c, p in zip(chars, prose, strict=True) if p)) or 1.0
    cum = [0, *accumulate(c if p else 0 for c, p in zip(chars, prose, strict=True))]
    before = [c / total for c in cum[:-1]]
    after = [1.0 - c / total for c in cum[1:]]
    assert prose_position(chars, prose) == (before, after, list(map(min, before, after)))
