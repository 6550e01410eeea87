"""Compile rule sets once into what the engine needs at speed.

Matching many ``regex`` patterns per line is slow (an alternation of 100 patterns
runs at ~4 MB/s). So every rule names literals (its prefilter), one Aho-Corasick
automaton finds all of them in one pass over the lower-cased document, and a rule's
own pattern runs only on the lines where one of its literals occurs. Cost then grows
with the number of hits, not with the number of rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import EllipsisType

import ahocorasick_rs
import regex

from cleaner.literals import encode_literal
from cleaner.precheck import derive
from cleaner.rulespec import Rule, RuleFileError, RuleSet, load_rulesets

# A DFA searches ~3x faster than the default NFA (175 vs 57 MB/s over real pages, the same
# matches); it costs more memory to build, which is nothing for a few thousand literals.
_DFA = ahocorasick_rs.Implementation.DFA


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its patterns compiled and the site set it belongs to (None: generic)."""

    rule: Rule
    pattern: regex.Pattern[str] | None
    end_pattern: regex.Pattern[str] | None
    site: str | None
    #: The derived opening once asked for; ``...`` until then.
    _opening: re.Pattern[str] | EllipsisType | None = field(default=..., init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def opening(self) -> re.Pattern[str] | None:
        """A cheap test every line the pattern matches whole passes (see :mod:`cleaner.precheck`).

        Derived when a line first reaches the rule, not when the rules load: deriving every rule's
        costs ~40 ms, which a run that cleans one short document (most rules see no candidate line
        there) paid at start-up. Two threads asking at once both derive it, and either result is the same.
        """
        opening = self._opening
        if opening is ...:
            opening = derive(self.pattern) if self.pattern is not None else None
            object.__setattr__(self, "_opening", opening)
        return opening


def _compile(rule: Rule) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    if rule.pattern is not None:
        pattern = regex.compile(rule.pattern)
    elif rule.literal is not None:
        pattern = regex.compile(regex.escape(rule.literal), regex.IGNORECASE)
    else:
        pattern = None
    end = regex.compile(rule.end_pattern) if rule.end_pattern else None
    return pattern, end


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (inside the wheel) or beside it (source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if (candidate / "generic").is_dir():
            return candidate
    raise FileNotFoundError(f"bundled rules not found beside {here}")


class RuleBook:
    """All rules compiled: patterns, one literal automaton, host and signature indexes.

    Immutable after construction but for each rule's opening, derived on first use (the same whatever
    thread derives it); safe to share between threads. Pickles as its
    rule sets and is recompiled on arrival, so it can go to worker processes.
    """

    def __init__(self, rulesets: Sequence[RuleSet]) -> None:
        self.rulesets: tuple[RuleSet, ...] = tuple(rulesets)
        rules: list[CompiledRule] = []
        for rs in self.rulesets:
            site = rs.name if rs.kind == "site" else None
            for rule in rs.rules:
                try:
                    pattern, end = _compile(rule)
                except regex.error as exc:
                    raise RuleFileError(rs.path, f"does not compile: {exc}", rule_id=rule.id) from None
                rules.append(CompiledRule(rule, pattern, end, site))
        self.rules: tuple[CompiledRule, ...] = tuple(rules)
        self.by_id = {r.id: i for i, r in enumerate(self.rules)}

        literals: dict[str, list[int]] = {}
        for i, cr in enumerate(self.rules):
            for lit in cr.rule.prefilter:
                literals.setdefault(lit, []).append(i)
        self.literals: tuple[str, ...] = tuple(literals)
        self.literal_rules: tuple[tuple[int, ...], ...] = tuple(tuple(v) for v in literals.values())
        self.literal_automaton = (
            ahocorasick_rs.BytesAhoCorasick(list(map(encode_literal, self.literals)), implementation=_DFA)
            if self.literals
            else None
        )
        self.head_rules: tuple[int, ...] = tuple(
            i for i, cr in enumerate(self.rules) if cr.rule.guard.max_line is not None or not cr.rule.prefilter
        )
        self.head_rule_set = frozenset(self.head_rules)
        #: Each head rule with the last line it looks at (``guard.max_line``, 0 when unset), read by every
        #: rules pass (``candidate_lines``, ``head_reach``) without the attribute chain.
        self.head_lines: tuple[tuple[int, int], ...] = tuple(
            (i, self.rules[i].rule.guard.max_line or 0) for i in self.head_rules
        )

        self.sites = {rs.name: rs for rs in self.rulesets if rs.kind == "site" and rs.site}
        self.hosts: dict[str, str] = {}
        signatures: list[str] = []
        self.signature_sites: list[str] = []
        for name, rs in self.sites.items():
            assert rs.site is not None
            for host in rs.site.hosts:
                self.hosts[host] = name
            for sig in rs.site.signatures:
                signatures.append(sig)
                self.signature_sites.append(name)
        self.signature_automaton = ahocorasick_rs.AhoCorasick(signatures, implementation=_DFA) if signatures else None
        self.version = hashlib.sha256(
            "".join(f"{Path(rs.path).name}:{rs.digest}\n" for rs in self.rulesets).encode()
        ).hexdigest()[:16]

    @classmethod
    def load(cls, directories: Iterable[Path]) -> RuleBook:
        return cls(load_rulesets(list(directories)))

    def __reduce__(self) -> tuple[type[RuleBook], tuple[tuple[RuleSet, ...]]]:
        return (RuleBook, (self.rulesets,))

    def derive_openings(self) -> None:
        """Derive every rule's opening now, rather than when a line first reaches the rule.

        Before a pool forks: its workers then share what this process derived instead of each deriving
        its own (~1 ms a rule, a second of CPU per worker for a 1,000-rule book).
        """
        for cr in self.rules:
            _ = cr.opening

    def active_rules(self, site: str | None, *, generic: bool, disabled: frozenset[str]) -> frozenset[int]:
        """Indices of the rules that apply: the site's own, then generic minus what is switched off."""
        off = set(disabled)
        if site is not None and (scope := self.sites[site].site) is not None:
            off.update(scope.disable)
        return frozenset(
            i
            for i, cr in enumerate(self.rules)
            if cr.rule.enabled
            and cr.id not in off
            and (cr.site == site if cr.site is not None else generic)
        )
