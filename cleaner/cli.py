"""The ``boilerstrip`` command line.

Exit status: 0 all clean; 1 some documents flagged (error or warning that made a
record unusable); 2 usage error, unreadable input or invalid rule file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cleaner.api import Cleaner, InputTooLarge
from cleaner.config import CleanConfig
from cleaner.explain import render_inline, render_removals
from cleaner.rulespec import RuleFileError
from cleaner.textio import InputError, read_document

EXIT_OK, EXIT_FLAGGED, EXIT_USAGE = 0, 1, 2

EPILOG = """\
examples:
  boilerstrip clean article.txt                 print the clean text
  cat article.txt | boilerstrip clean -         read stdin
  boilerstrip clean --url https://www.standardmedia.co.ke/x article.txt
  boilerstrip explain article.txt               what was removed, and by which rule
  boilerstrip rules list                        every rule with its description
  boilerstrip rules test --rules my_rules/      run every rule's own examples

exit status: 0 clean, 1 some input flagged, 2 usage or rule-file error
"""


def _add_rule_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rules")
    g.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR",
                   help="extra rule directory (repeatable); see rules/README.md for the format")
    g.add_argument("--no-default-rules", action="store_true", help="do not load the bundled rules")
    g.add_argument("--no-generic", action="store_true", help="apply site rules only")
    g.add_argument("--disable", action="append", default=[], metavar="RULE_ID",
                   help="switch a rule off by id (repeatable)")
    g.add_argument("--no-detect", action="store_true",
                   help="rules only: skip the text-only boilerplate detection")


def config_from_args(args: argparse.Namespace) -> CleanConfig:
    """The ``CleanConfig`` the rule options describe."""
    return CleanConfig(
        rules_dirs=tuple(args.rules),
        default_rules=not args.no_default_rules,
        generic=not args.no_generic,
        disabled=frozenset(args.disable),
        detect=not args.no_detect,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boilerstrip",
        description="Turn scraped article text into clean article text, explaining every removal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("clean", help="print the clean text of a document",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="text file, or - for stdin")
    p.add_argument("--url", help="the page's URL: selects the site's rules by host")
    _add_rule_options(p)

    p = sub.add_parser("explain", help="show what was removed and by which rule",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", metavar="INPUT", help="text file, or - for stdin")
    p.add_argument("--url", help="the page's URL: selects the site's rules by host")
    p.add_argument("--inline", action="store_true", help="show the source with removed spans marked in place")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    _add_rule_options(p)

    p = sub.add_parser("rules", help="list, show or test rules")
    rsub = p.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    q = rsub.add_parser("list", help="every rule: id, action, description")
    q.add_argument("--site", help="only the rules of this site set")
    _add_rule_options(q)
    q = rsub.add_parser("show", help="one rule in full, with its examples")
    q.add_argument("rule_id")
    _add_rule_options(q)
    q = rsub.add_parser("test", help="run every rule's examples; exit 1 if any fails")
    _add_rule_options(q)
    return parser


def _cmd_clean(args: argparse.Namespace, cleaner: Cleaner) -> int:
    status = EXIT_OK
    for name in args.inputs:
        try:
            result = cleaner.clean_document(read_document(name), url=args.url)
        except (InputError, InputTooLarge) as exc:
            print(f"boilerstrip: {exc}", file=sys.stderr)
            status = EXIT_FLAGGED
            continue
        for warning in result.warnings:
            print(f"boilerstrip: {name}: warning: {warning}", file=sys.stderr)
        sys.stdout.write(result.text + "\n")
    return status


def _cmd_explain(args: argparse.Namespace, cleaner: Cleaner) -> int:
    try:
        result = cleaner.clean_document(read_document(args.input), url=args.url)
    except (InputError, InputTooLarge) as exc:
        print(f"boilerstrip: {exc}", file=sys.stderr)
        return EXIT_FLAGGED
    if args.inline:
        color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
        sys.stdout.write(render_inline(result, color=color) + "\n")
    sys.stdout.write(render_removals(result) + "\n")
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, cleaner: Cleaner) -> int:
    from cleaner.ruletest import example_cases, failures

    book = cleaner.rulebook
    if args.rules_command == "list":
        for cr in book.rules:
            if args.site and cr.site != args.site:
                continue
            scope = cr.site or "generic"
            print(f"{cr.id}\t{cr.rule.action}\t{scope}\t{cr.rule.description}")
        return EXIT_OK
    if args.rules_command == "show":
        if args.rule_id not in book.by_id:
            print(f"boilerstrip: no rule {args.rule_id!r}; see 'boilerstrip rules list'", file=sys.stderr)
            return EXIT_USAGE
        rule = book.rules[book.by_id[args.rule_id]].rule
        print(f"{rule.id}  ({rule.action}, {rule.source}:{rule.line})\n  {rule.description}")
        print(f"  match: {rule.pattern or rule.literal!r}  prefilter: {list(rule.prefilter)}")
        for kind in ("remove", "keep"):
            for ex in getattr(rule.examples, kind):
                print(f"  {kind}: {ex.text!r}" + (f" -> {ex.out!r}" if ex.out is not None else ""))
        return EXIT_OK
    failed = failures(book)
    for case, problem in failed:
        print(f"FAIL {case.name}: {problem}")
    print(f"{len(failed)} failing of {sum(1 for _ in example_cases(book))} examples")
    return EXIT_FLAGGED if failed else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cleaner = Cleaner(config_from_args(args))
    except RuleFileError as exc:
        print(f"boilerstrip: invalid rule file: {exc}", file=sys.stderr)
        return EXIT_USAGE
    handlers = {"clean": _cmd_clean, "explain": _cmd_explain, "rules": _cmd_rules}
    return handlers[args.command](args, cleaner)


if __name__ == "__main__":
    sys.exit(main())
