"""The command line's core subcommands: clean a text file, explain, rules list/show/test."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import CleanConfig, Cleaner, __version__
from cleaner.cli import main

FIRST = "The city council met on Monday evening to debate the road repair budget for the coming year."
SECOND = "After three hours of debate it approved the budget, with work due to start in the spring."
ARTICLE = f"Download App\n{FIRST}\nFollow us on WhatsApp\n{SECOND}"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_clean_prints_clean_text(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(article)]) == 0
    assert capsys.readouterr().out == f"{FIRST}\n{SECOND}\n"


def test_explain_labels_every_removal_with_its_rule(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(article)]) == 0
    out = capsys.readouterr().out
    assert "app.install-line (drop_line): Download App" in out
    assert "social.follow-line (drop_line): Follow us on WhatsApp" in out


def test_explain_summary_counts_the_spans_it_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "e.txt"
    path.write_text(f"{FIRST}\nDownload App\n", encoding="utf-8")
    assert main(["explain", "--no-detect", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"[{len(FIRST) + 1}:{len(FIRST) + 13}] app.install-line (drop_line): Download App"
    # The line's own break and the text's last one go as whitespace: counted apart, not listed.
    assert lines[1] == f"removed 14 of {len(FIRST) + 14} characters: 1 span of text, 2 spans of whitespace around them"


def test_version_names_the_bundled_rules(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    rules = Cleaner(CleanConfig(detect=False)).ruleset_version
    assert capsys.readouterr().out == f"boilerstrip {__version__} (bundled rules {rules})\n"


def test_explain_inline_marks_spans_in_place(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--inline", "--color", "never", str(article)]) == 0
    assert "[-Download App\n-]{app.install-line}" in capsys.readouterr().out


def test_binary_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "b.bin"
    path.write_bytes(b"\x00\x01\x02binary")
    assert main(["explain", str(path)]) == 1
    assert "b.bin: looks like a binary file" in capsys.readouterr().err


def test_invalid_rule_dir_exits_2_naming_file_and_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text(
        "set: demo\nkind: generic\nrules:\n  - id: demo.x\n    description: d\n    action: nope\n",
        encoding="utf-8",
    )
    assert main(["rules", "list", "--rules", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:4" in err and "demo.x" in err and "nope" in err


def test_rule_that_runs_away_on_its_own_example_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Found before the run, not as one regex_timeout record after another hours into it."""
    rules, doc = tmp_path / "rules", tmp_path / "a.txt"
    rules.mkdir()
    (rules / "demo.yaml").write_text(
        "set: demo\nkind: generic\nrules:\n"
        "  - id: demo.fine\n    description: A fine rule.\n    match: {literal: 'Subscribe now'}\n"
        "    action: drop_line\n    examples: {remove: ['Subscribe now'], keep: ['We subscribe now and then.']}\n"
        "  - id: demo.runaway\n    description: Catastrophic backtracking.\n"
        "    match: {regex: '(?:a|aa)+$', prefilter: [aaa]}\n    action: strip_span\n"
        f"    examples: {{remove: ['aaaa'], keep: ['{'a' * 60}b']}}\n",
        encoding="utf-8",
    )
    doc.write_text("Some text.", encoding="utf-8")
    assert main(["clean", str(doc), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert "demo.yaml:9: rule 'demo.runaway':" in err and "runs away on its own keep example" in err
    assert "demo.fine" not in err


def test_missing_rule_dir_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Some text.", encoding="utf-8")
    assert main(["clean", str(doc), "--rules", str(tmp_path / "my_rulez")]) == 2
    assert "my_rulez: no such directory" in capsys.readouterr().err


def test_rules_list_show_and_test(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list", "--site", "jiji"]) == 0
    assert capsys.readouterr().out.startswith("jiji.copyright-end\tstrip_span\tjiji\t")
    assert main(["rules", "show", "jiji.copyright-end"]) == 0
    assert "remove: 'Takaichi expressed" in capsys.readouterr().out
    assert main(["rules", "show", "no.such-rule"]) == 2
    assert main(["rules", "test"]) == 0
    assert capsys.readouterr().out.startswith("0 failing of ")


def test_explain_html_mode_labels_the_title_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>Budget approved</title></head><body><article><h1>Budget approved</h1>"
        f"<p>{FIRST}</p><p>Advertisement</p><p>{SECOND}</p></article></body></html>",
        encoding="utf-8",
    )
    assert main(["explain", "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "html.title-line (extract_meta): Budget approved" in out
    assert "furniture.ad-label (drop_line): Advertisement" in out
    assert "metadata title: Budget approved" in out
