"""Rule files: the data model and strict loading.

A rule file is YAML (see ``rules/README.md``). Loading validates everything a rule
author can get wrong — unknown keys, a bad id, a pattern that does not compile, an
action outside the closed set, a generic cut without a position guard, missing
examples — and fails with ``RuleFileError`` naming the file, the line, the rule id
and the problem. Nothing here compiles automata; that is ``rulebook``'s job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

ACTIONS = frozenset(
    {"drop_line", "strip_span", "cut_after", "cut_before", "drop_block", "extract_meta", "front_matter"}
)
LINE_ACTIONS = frozenset({"drop_line", "cut_after", "cut_before", "drop_block"})
CUT_ACTIONS = frozenset({"cut_after", "cut_before"})

_ID = regex.compile(r"[a-z0-9][a-z0-9_]*(?:\.[a-z0-9][a-z0-9-]*)+")
_SET = regex.compile(r"[a-z0-9][a-z0-9_-]*")
_STOPWORDS = frozenset(
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "i", "in",
        "is", "it", "its", "of", "on", "or", "our", "she", "that", "the", "their", "they", "this", "to", "was",
        "we", "were", "will", "with", "you", "your",
    ]
)
_FILE_KEYS = frozenset({"set", "kind", "description", "site", "rules", "html_rules"})
_SITE_KEYS = frozenset({"hosts", "signatures", "disable"})
_RULE_KEYS = frozenset(
    {"id", "description", "match", "action", "guard", "examples", "enabled", "aliases", "__line__"}
)
_MATCH_KEYS = frozenset({"regex", "literal", "prefilter", "end"})
_GUARD_KEYS = frozenset({"min_position", "max_position", "max_line", "max_lines", "max_tail_prose", "max_chars"})
_EXAMPLE_KEYS = frozenset({"remove", "keep", "todo_remove", "todo_keep"})
_HTML_RULE_KEYS = frozenset({"id", "description", "xpath", "classes", "examples", "__line__"})


class RuleFileError(ValueError):
    """A rule file is invalid. The message names the file, line, rule id and problem."""

    def __init__(self, path: Path | str, problem: str, *, rule_id: str | None = None, line: int | None = None):
        self.path = str(path)
        self.rule_id = rule_id
        self.line = line
        self.problem = problem
        where = self.path + (f":{line}" if line else "")
        who = f" rule {rule_id!r}:" if rule_id else ""
        super().__init__(f"{where}:{who} {problem}")


@dataclass(frozen=True, slots=True)
class Guard:
    """Where a match may sit. Positions are fractions of the document length (0..1).

    ``max_line`` limits a rule to the first lines (0-based) and lets it run without a
    literal prefilter; ``max_lines`` bounds the length of a ``drop_block``;
    ``max_tail_prose`` lets a ``cut_after`` fire only when at most that many lines of
    article-like prose follow the marker, so a "Related" box in mid-article never cuts
    the article's second half. ``max_chars`` bounds the stripped length of a line that
    a line action (``drop_line``, the markers of cuts and blocks) may match: a longer line
    is a paragraph, never a button or a label, and skipping it keeps matching cheap.
    """

    min_position: float = 0.0
    max_position: float = 1.0
    max_line: int | None = None
    max_lines: int = 40
    max_tail_prose: int | None = None
    max_chars: int = 300


@dataclass(frozen=True, slots=True)
class Example:
    """Text a rule must change (``out`` is what must remain) or must leave alone (``out is None``)."""

    text: str
    out: str | None = None
    metadata: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Examples:
    remove: tuple[Example, ...] = ()
    keep: tuple[Example, ...] = ()
    todo_remove: tuple[Example, ...] = ()
    todo_keep: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written: id, why, what it matches, what it does, where, and its examples."""

    id: str
    description: str
    action: str
    pattern: str | None
    literal: str | None
    prefilter: tuple[str, ...]
    end_pattern: str | None
    guard: Guard
    examples: Examples
    enabled: bool = True
    aliases: tuple[str, ...] = ()
    source: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class HtmlRule:
    """An element to drop from the HTML before extraction (HTML mode).

    ``classes`` are the class tokens one of which every element the XPath selects carries: the
    rule then runs only on pages whose source has one of them (:mod:`cleaner.html_classes`).
    """

    id: str
    description: str
    xpath: str
    examples: Examples
    source: str = ""
    line: int | None = None
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SiteScope:
    """Which documents a site set applies to: URL hosts (and subdomains) or text signatures."""

    hosts: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One rule file."""

    name: str
    kind: str
    description: str
    rules: tuple[Rule, ...]
    path: str
    digest: str
    site: SiteScope | None = None
    html_rules: tuple[HtmlRule, ...] = field(default_factory=tuple)


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader (libyaml's when available: rule loading is start-up time of every worker)
    that records the line of every mapping, so errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _keys(obj: Mapping[str, Any], allowed: frozenset[str]) -> set[str]:
    return {k for k in obj if k != "__line__" and k not in allowed}


def _as_str_tuple(value: Any, what: str, err: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise err(f"{what} must be a string or a list of strings")


def _example(raw: Any, err: Any) -> Example:
    if isinstance(raw, str):
        return Example(raw)
    if isinstance(raw, dict) and "in" in raw:
        extra = _keys(raw, frozenset({"in", "out", "metadata"}))
        if extra:
            raise err(f"unknown example keys {sorted(extra)}")
        meta = raw.get("metadata")
        if meta is not None:
            meta = {k: v for k, v in meta.items() if k != "__line__"}
        return Example(str(raw["in"]), None if raw.get("out") is None else str(raw["out"]), meta)
    raise err("an example is a string or a mapping with 'in' (and 'out', 'metadata')")


def _examples(raw: Any, err: Any) -> Examples:
    if not isinstance(raw, dict):
        raise err("'examples' must be a mapping with 'remove' and 'keep' lists")
    extra = _keys(raw, _EXAMPLE_KEYS)
    if extra:
        raise err(f"unknown example lists {sorted(extra)}")
    lists = {}
    for key in _EXAMPLE_KEYS:
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise err(f"examples.{key} must be a list")
        lists[key] = tuple(_example(item, err) for item in items)
    return Examples(**lists)


def _compile_check(pattern: str, err: Any, what: str) -> None:
    try:
        regex.compile(pattern)
    except regex.error as exc:
        raise err(f"{what} does not compile: {exc}") from None


def _guard(raw: Any, err: Any) -> Guard:
    if raw is None:
        return Guard()
    if not isinstance(raw, dict):
        raise err("'guard' must be a mapping")
    extra = _keys(raw, _GUARD_KEYS)
    if extra:
        raise err(f"unknown guard keys {sorted(extra)}")
    g = Guard(
        min_position=float(raw.get("min_position", 0.0)),
        max_position=float(raw.get("max_position", 1.0)),
        max_line=raw.get("max_line"),
        max_lines=int(raw.get("max_lines", 40)),
        max_tail_prose=raw.get("max_tail_prose"),
        max_chars=int(raw.get("max_chars", 300)),
    )
    if not 0.0 <= g.min_position <= g.max_position <= 1.0:
        raise err("guard positions must satisfy 0 <= min_position <= max_position <= 1")
    if g.max_line is not None and (not isinstance(g.max_line, int) or g.max_line < 0):
        raise err("guard.max_line must be a non-negative integer")
    return g


def parse_rule(raw: Any, *, set_name: str, kind: str, path: str) -> Rule:
    """Validate one rule mapping and return a ``Rule``; raise ``RuleFileError`` naming it."""
    line = raw.get("__line__") if isinstance(raw, dict) else None
    rule_id = raw.get("id") if isinstance(raw, dict) else None

    def err(problem: str) -> RuleFileError:
        return RuleFileError(path, problem, rule_id=rule_id, line=line)

    if not isinstance(raw, dict):
        raise err("a rule must be a mapping")
    extra = _keys(raw, _RULE_KEYS)
    if extra:
        raise err(f"unknown keys {sorted(extra)}")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise err("'id' must look like '<set>.<kebab-slug>' (lowercase)")
    if not rule_id.startswith(set_name + "."):
        raise err(f"id must start with the file's set name '{set_name}.'")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip() or "\n" in description.strip():
        raise err("'description' must be one line saying what it removes and why that is never article text")
    action = raw.get("action")
    if action not in ACTIONS:
        raise err(f"action {action!r} is not one of {sorted(ACTIONS)}")
    match = raw.get("match") or {}
    if not isinstance(match, dict):
        raise err("'match' must be a mapping with 'regex' or 'literal'")
    extra = _keys(match, _MATCH_KEYS)
    if extra:
        raise err(f"unknown match keys {sorted(extra)}")
    pattern, literal = match.get("regex"), match.get("literal")
    if action != "front_matter" and (pattern is None) == (literal is None):
        raise err("'match' needs exactly one of 'regex' or 'literal'")
    if pattern is not None:
        _compile_check(pattern, err, "regex")
    end_pattern = match.get("end")
    if action == "drop_block":
        if not isinstance(end_pattern, str):
            raise err("drop_block needs match.end, the pattern of the block's last line")
        _compile_check(end_pattern, err, "match.end")
    elif end_pattern is not None:
        raise err("match.end is only for drop_block")
    if action == "extract_meta" and (pattern is None or not regex.compile(pattern).groupindex):
        raise err("extract_meta needs a regex with named groups, e.g. (?P<date>...)")
    guard = _guard(raw.get("guard"), err)
    prefilter = tuple(p.lower() for p in _as_str_tuple(match.get("prefilter"), "match.prefilter", err))
    if literal is not None:
        prefilter = prefilter or (str(literal).lower(),)
    for lit in prefilter:
        if "\n" in lit:  # rules match within a line, and the literal search counts lines by newlines
            raise err(f"prefilter {lit!r} spans lines; a match lies within one line")
        core = lit.strip()
        if not core or (len(core) < 3 and core.isalnum()) or core in _STOPWORDS:
            raise err(f"prefilter {lit!r} is too common to narrow the search "
                      "(3+ characters, or a symbol such as '©', and not a stop word)")
    if not prefilter and guard.max_line is None and action != "front_matter":
        raise err("a regex rule needs match.prefilter (literals one of which occurs in every match) "
                  "or guard.max_line (it then runs on the first lines only)")
    if kind == "generic" and action in CUT_ACTIONS and guard == Guard():
        raise err(f"a generic {action} rule must carry a position guard (min_position/max_position)")
    examples = _examples(raw.get("examples"), err)
    if not examples.remove or not examples.keep:
        raise err("every rule needs at least one 'remove' and one 'keep' example")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise err("'enabled' must be true or false")
    return Rule(
        id=rule_id,
        description=description.strip(),
        action=action,
        pattern=pattern,
        literal=None if literal is None else str(literal),
        prefilter=prefilter,
        end_pattern=end_pattern,
        guard=guard,
        examples=examples,
        enabled=enabled,
        aliases=_as_str_tuple(raw.get("aliases"), "aliases", err),
        source=path,
        line=line,
    )


def _parse_html_rule(raw: Any, *, set_name: str, path: str) -> HtmlRule:
    line = raw.get("__line__") if isinstance(raw, dict) else None
    rule_id = raw.get("id") if isinstance(raw, dict) else None

    def err(problem: str) -> RuleFileError:
        return RuleFileError(path, problem, rule_id=rule_id, line=line)

    if not isinstance(raw, dict):
        raise err("an html rule must be a mapping")
    extra = _keys(raw, _HTML_RULE_KEYS)
    if extra:
        raise err(f"unknown keys {sorted(extra)}")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id) or not rule_id.startswith(set_name + "."):
        raise err(f"'id' must look like '{set_name}.<kebab-slug>'")
    description, xpath = raw.get("description"), raw.get("xpath")
    if not isinstance(description, str) or not description.strip():
        raise err("'description' is required")
    if not isinstance(xpath, str) or not xpath.strip():
        raise err("'xpath' is required")
    classes = _as_str_tuple(raw.get("classes"), "classes", err)
    for token in classes:
        if not token or any(c.isspace() or c in "\"'>" for c in token):
            raise err(f"class {token!r} must be one class token: no spaces, quotes or '>'")
    examples = _examples(raw.get("examples"), err)
    if not examples.remove or not examples.keep:
        raise err("every html rule needs at least one 'remove' and one 'keep' example")
    return HtmlRule(rule_id, description.strip(), xpath, examples, path, line, classes)


def parse_ruleset(text: str, path: str) -> RuleSet:
    """Parse and validate the YAML text of one rule file."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise RuleFileError(path, f"not valid YAML: {_yaml_problem(exc)}", line=line) from None
    if not isinstance(raw, dict):
        raise RuleFileError(path, "a rule file must be a mapping with 'set', 'kind' and 'rules'")
    extra = _keys(raw, _FILE_KEYS)
    if extra:
        raise RuleFileError(path, f"unknown top-level keys {sorted(extra)}")
    name, kind = raw.get("set"), raw.get("kind")
    if not isinstance(name, str) or not _SET.fullmatch(name):
        raise RuleFileError(path, "'set' must be a lowercase name")
    if kind not in ("generic", "site"):
        raise RuleFileError(path, "'kind' must be 'generic' or 'site'")
    site = None
    if kind == "site":
        raw_site = raw.get("site")
        if not isinstance(raw_site, dict):
            raise RuleFileError(path, "a site file needs a 'site' mapping with 'hosts' or 'signatures'")
        extra = _keys(raw_site, _SITE_KEYS)
        if extra:
            raise RuleFileError(path, f"unknown site keys {sorted(extra)}")

        def site_err(problem: str) -> RuleFileError:
            return RuleFileError(path, problem, line=raw_site.get("__line__"))

        site = SiteScope(
            hosts=tuple(h.lower().strip(".") for h in _as_str_tuple(raw_site.get("hosts"), "site.hosts", site_err)),
            signatures=_as_str_tuple(raw_site.get("signatures"), "site.signatures", site_err),
            disable=_as_str_tuple(raw_site.get("disable"), "site.disable", site_err),
        )
        if not site.hosts and not site.signatures:
            raise site_err("a site file needs 'hosts' or 'signatures'")
        if any(len(s) < 8 for s in site.signatures):
            raise site_err("a signature must be a distinctive literal of 8+ characters")
    elif "site" in raw:
        raise RuleFileError(path, "only site files have a 'site' section")
    rules_raw = raw.get("rules") or []
    if not isinstance(rules_raw, list):
        raise RuleFileError(path, "'rules' must be a list")
    rules = tuple(parse_rule(r, set_name=name, kind=kind, path=path) for r in rules_raw)
    html_raw = raw.get("html_rules") or []
    if not isinstance(html_raw, list):
        raise RuleFileError(path, "'html_rules' must be a list")
    html_rules = tuple(_parse_html_rule(r, set_name=name, path=path) for r in html_raw)
    description = raw.get("description") or ""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return RuleSet(name, kind, str(description), rules, path, digest, site, html_rules)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's problem and where it began, without its ``in "<unicode string>"`` (the file is named already)."""
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if problem is None or mark is None:
        return str(exc)
    text = f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None:
        text += f", {context} that starts at line {start.line + 1}, column {start.column + 1}"
    return text


def load_ruleset(path: Path) -> RuleSet:
    """Read and validate one rule file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(path, f"cannot read: {exc}") from None
    return parse_ruleset(text, str(path))


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a rules directory: ``generic/*.yaml`` and ``sites/*.yaml``, or flat ``*.yaml``.

    A directory that is missing or holds no rule file is an error: a mistyped ``--rules``
    path would otherwise clean a whole corpus without the rules it names.
    """
    if not directory.is_dir():
        raise RuleFileError(directory, "no such directory" if not directory.exists() else "not a directory")
    nested = [directory / "generic", directory / "sites"]
    if any(d.is_dir() for d in nested):
        files = sorted(p for d in nested if d.is_dir() for p in d.glob("*.yaml"))
    else:
        files = sorted(directory.glob("*.yaml"))
    if not files:
        raise RuleFileError(directory, "no rule files (*.yaml, or generic/*.yaml and sites/*.yaml) in this directory")
    return files


def load_rulesets(directories: Sequence[Path]) -> tuple[RuleSet, ...]:
    """Load every rule file and check ids are unique across all of them."""
    sets = tuple(load_ruleset(p) for d in directories for p in rule_files(d))
    seen: dict[str, str] = {}
    names: dict[str, str] = {}
    for rs in sets:
        if rs.name in names:
            raise RuleFileError(rs.path, f"set name {rs.name!r} is already used by {names[rs.name]}")
        names[rs.name] = rs.path
        ids = [(r.id, r.line) for r in rs.rules] + [(h.id, h.line) for h in rs.html_rules]
        ids += [(a, r.line) for r in rs.rules for a in r.aliases]
        for rid, line in ids:
            if rid in seen:
                raise RuleFileError(rs.path, f"duplicate id (also in {seen[rid]})", rule_id=rid, line=line)
            seen[rid] = rs.path
    return sets
