"""Rule files are validated strictly; errors name the file, the line and the rule id."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cleaner import CleanConfig, Cleaner, RuleFileError
from cleaner.rulebook import RuleBook, bundled_rules_dir
from cleaner.rulespec import load_rulesets, parse_ruleset

GOOD_RULE = """
  - id: demo.banner
    description: A demo banner line.
    match: {regex: 'Demo banner', prefilter: [demo banner]}
    action: drop_line
    examples: {remove: ["Demo banner"], keep: ["A demo banner is mentioned here."]}
"""


def _file(body: str, *, head: str = "set: demo\nkind: generic\nrules:\n") -> str:
    return head + body


def test_bundled_rules_load_with_unique_ids() -> None:
    book = RuleBook.load([bundled_rules_dir()])
    ids = [r.id for r in book.rules]
    assert len(ids) == len(set(ids))
    assert {"generic", "site"} == {rs.kind for rs in book.rulesets}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (GOOD_RULE.replace("action: drop_line", "action: explode"), "action 'explode' is not one of"),
        (GOOD_RULE.replace("'Demo banner'", "'Demo (banner'"), "regex does not compile"),
        (GOOD_RULE.replace("id: demo.banner", "id: other.banner"), "must start with the file's set name"),
        (GOOD_RULE.replace('keep: ["A demo banner is mentioned here."]', "keep: []"), "at least one 'remove'"),
        (GOOD_RULE.replace("prefilter: [demo banner]", "prefilter: [the]"), "too common"),
        (GOOD_RULE.replace("prefilter: [demo banner]", 'prefilter: ["demo\\nbanner"]'), "spans lines"),
        (GOOD_RULE.replace(", prefilter: [demo banner]", ""), "needs match.prefilter"),
        (GOOD_RULE.replace("action: drop_line", "action: drop_line\n    colour: red"), "unknown keys ['colour']"),
        (GOOD_RULE.replace("action: drop_line", "action: cut_after"), "must carry a position guard"),
    ],
)
def test_invalid_rule_names_file_line_and_rule(body: str, problem: str) -> None:
    with pytest.raises(RuleFileError) as info:
        parse_ruleset(_file(body), "rules/generic/demo.yaml")
    message = str(info.value)
    assert problem in message
    assert message.startswith("rules/generic/demo.yaml:")
    assert info.value.line is not None and info.value.line >= 4


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(RuleFileError) as info:
        parse_ruleset("set: demo\nkind: generic\nrules: [\n  - id: x\n", "bad.yaml")
    assert "not valid YAML" in str(info.value)
    assert info.value.line is not None
    with pytest.raises(RuleFileError) as info:
        parse_ruleset('set: demo\nkind: generic\nrules:\n  - id: demo.x\n    description: "unterminated\n', "q.yaml")
    assert str(info.value) == ("q.yaml:6: not valid YAML: found unexpected end of stream (line 6, column 1), "
                               "while scanning a quoted scalar that starts at line 5, column 18")


def test_site_file_needs_hosts_or_signatures() -> None:
    head = "set: demo\nkind: site\nsite: {disable: []}\nrules:\n"
    with pytest.raises(RuleFileError, match="needs 'hosts' or 'signatures'"):
        parse_ruleset(head + GOOD_RULE, "demo.yaml")


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_file(GOOD_RULE), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(_file(GOOD_RULE, head="set: demo2\nkind: generic\nrules:\n")
                                     .replace("id: demo.banner", "id: demo2.banner"), encoding="utf-8")
    assert len(load_rulesets([tmp_path])) == 2
    (tmp_path / "c.yaml").write_text(_file(GOOD_RULE, head="set: demo\nkind: generic\nrules:\n"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="already used"):
        load_rulesets([tmp_path])


def test_a_rule_directory_that_is_missing_or_holds_no_rule_file_is_an_error(tmp_path: Path) -> None:
    """A mistyped ``--rules`` path must not run the pipeline without the rules it was given."""
    with pytest.raises(RuleFileError, match=r"missing: no such directory"):
        load_rulesets([tmp_path / "missing"])
    (tmp_path / "notes.txt").write_text("not a rule file", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"no rule files \(\*\.yaml"):
        load_rulesets([tmp_path])


def test_invalid_user_rule_dir_fails_cleaner_construction(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(_file(GOOD_RULE.replace("drop_line", "nope")), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"bad\.yaml.*demo\.banner"):
        Cleaner(CleanConfig(rules_dirs=(tmp_path,)))


RUNAWAY_RULE = """
  - id: demo.runaway
    description: Catastrophic backtracking on purpose.
    match: {regex: '(?:a|aa)+$', prefilter: [aaa]}
    action: strip_span
    examples: {remove: ["aaaa"], keep: ["b"]}
"""


def _runaway_cleaner(tmp_path: Path) -> Cleaner:
    (tmp_path / "demo.yaml").write_text(_file(RUNAWAY_RULE), encoding="utf-8")
    return Cleaner(CleanConfig(rules_dirs=(tmp_path,), default_rules=False, regex_timeout=0.05, detect=False))


def test_runaway_pattern_is_stopped_and_reported(tmp_path: Path) -> None:
    cleaner = _runaway_cleaner(tmp_path)
    text = "Intro line.\n" + "a" * 80 + "b\nLast line."
    start = time.perf_counter()
    result = cleaner.clean_document(text)
    assert time.perf_counter() - start < 5
    assert result.text == text
    assert any("demo.runaway" in w and "stopped" in w for w in result.warnings)


def test_site_can_disable_a_generic_rule(tmp_path: Path) -> None:
    (tmp_path / "generic").mkdir()
    (tmp_path / "sites").mkdir()
    (tmp_path / "generic" / "demo.yaml").write_text(_file(GOOD_RULE), encoding="utf-8")
    site = """set: mysite
kind: site
site: {hosts: [example.org], disable: [demo.banner]}
rules: []
"""
    (tmp_path / "sites" / "mysite.yaml").write_text(site, encoding="utf-8")
    cleaner = Cleaner(CleanConfig(rules_dirs=(tmp_path,), default_rules=False))
    text = "Demo banner\nThe story."
    assert cleaner.clean(text) == "The story."
    assert cleaner.clean(text, url="https://news.example.org/a") == text


def test_runaway_pattern_flags_the_pipeline_record(tmp_path: Path) -> None:
    from cleaner.record import RecordOptions, clean_record

    cleaner = _runaway_cleaner(tmp_path)
    record = {"id": 7, "text": "a" * 80 + "b"}
    out = clean_record(cleaner, record, RecordOptions(), line=3)
    assert out["text"] == record["text"]
    assert out["error"]["type"] == "regex_timeout" and out["error"]["line"] == 3
    assert "demo.runaway" in out["error"]["message"]
