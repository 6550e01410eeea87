"""The ``boilerstrip`` command line.

Exit status: 0 all clean; 1 some documents flagged (error or warning that made a
record unusable); 2 usage error, unreadable input or invalid rule file.
``clean`` runs the pipeline in ``cleaner.pipeline`` (formats in ``cleaner.formats``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from cleaner.api import Cleaner
from cleaner.config import CleanConfig
from cleaner.formats import FORMATS, kind_of, record_format
from cleaner.html_options import HtmlOptions
from cleaner.inputs import Source, expand_inputs
from cleaner.parallel import default_workers
from cleaner.pipeline import JobSpec, Runner, Target, output_format
from cleaner.progress import Progress
from cleaner.record import RecordOptions
from cleaner.rulespec import RuleFileError
from cleaner.textio import InputError, read_bytes, read_document

EXIT_OK, EXIT_FLAGGED, EXIT_USAGE = 0, 1, 2
# Below this many bytes of input, starting worker processes costs more than it saves.
SMALL_INPUT = 1_000_000

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

CLEAN_EPILOG = """\
examples:
  boilerstrip clean article.txt                      print the clean text
  cat article.txt | boilerstrip clean -              one document from stdin
  boilerstrip clean shard.jsonl.gz -o clean.jsonl.gz --stats stats.json
                                                     a JSONL shard: field "text" cleaned in place,
                                                     every other field passed through
  boilerstrip clean docs.parquet -o clean.parquet --field content --out-field clean
                                                     keep the original column, add the clean one
  zcat shard.jsonl.gz | boilerstrip clean - --format jsonl -j 2 > clean.jsonl
  boilerstrip clean corpus/ -o clean/ --resume       a directory tree: same relative names out;
                                                     --resume skips inputs already done
  boilerstrip clean pages/ --html --output-format jsonl -o pages.jsonl
                                                     HTML files in, one JSONL record per page out
  boilerstrip clean shard.jsonl --explain --metadata | jq .boilerstrip
  boilerstrip clean shards/*.jsonl.gz -o all.parquet  several JSONL shards into one Parquet file

formats (from the file name, or --format): .txt or any other name: one document per file;
  .jsonl/.ndjson (.gz, .zst): one JSON object per line; .parquet: one record per row.
  Output: the input's format, or --output-format, or -o's suffix. Several inputs or a
  directory go to a directory (-o DIR) unless -o names a .jsonl/.parquet file.

records: each output record is its input record with the text field cleaned, plus
  "boilerstrip_rules" (a hash of the rule files). A record that cannot be cleaned
  (malformed JSON, no text field, not a string, invalid UTF-8, a lone surrogate such
  as "\\ud800", over max_chars, HTML timeout, an HTML page nested too deep to read to
  its end) is written through unchanged with "error": {"type", "message", "line"};
  a malformed line keeps its text in "raw"; a record flagged by an earlier run that
  cleans now loses that "error". Records out always equal records in
  (blank lines are not records). Parquet stores metadata/explain columns as JSON text.
  Parquet from JSONL or text: the schema fits every record (a field missing from some
  records is null there; a field of mixed types, objects or lists is stored as JSON text).

unreadable inputs (cannot be opened, corrupt or truncated .gz/.zst, not Parquet): each is
  reported with where reading stopped, the run goes on with the other inputs, and exits 2.
  With -o DIR such an input gets no output (so --resume retries it); into one -o FILE
  nothing is written; to stdout the records read before the failure are written.

exit status:
  0  every record cleaned
  1  some records flagged (written with "error"), or --on-error fail stopped the run
  2  usage error, unreadable input or invalid rule file
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


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {value!r}")
    return seconds


def _add_html_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("HTML mode (--html)")
    g.add_argument("--html-budget", type=_positive_seconds, default=HtmlOptions().time_budget_s, metavar="SECONDS",
                   help="time budget per page; a page over it is flagged, never a stuck run (default: %(default)s)")
    g.add_argument("--no-fragment-rescue", action="store_true",
                   help="keep trafilatura's text even when it holds only a fragment of the page's prose "
                        "(faster; by default such a page is rendered whole and cleaned in text mode)")


def config_from_args(args: argparse.Namespace) -> CleanConfig:
    """The ``CleanConfig`` the rule (and, where the command has them, HTML) options describe."""
    html = HtmlOptions(
        time_budget_s=getattr(args, "html_budget", HtmlOptions().time_budget_s),
        fragment_rescue=not getattr(args, "no_fragment_rescue", False),
    )
    return CleanConfig(
        rules_dirs=tuple(args.rules),
        default_rules=not args.no_default_rules,
        generic=not args.no_generic,
        disabled=frozenset(args.disable),
        detect=not args.no_detect,
        html=html,
    )


class _VersionAction(argparse.Action):
    """``--version``: the package and the bundled rules' version, the hash that ``clean`` writes into
    every record (``boilerstrip_rules``), so a corpus can be matched to the install that made it.

    An action rather than ``action="version"``: hashing the rules loads them, which only this flag needs.
    """

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version and the bundled rules' version, then exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from cleaner import __version__

        rules = Cleaner(CleanConfig(detect=False)).ruleset_version
        print(f"boilerstrip {__version__} (bundled rules {rules})")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boilerstrip",
        description="Turn scraped article text into clean article text, explaining every removal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("clean", help="clean documents: text files, directories, stdin, JSONL, Parquet",
                       description="Clean documents or records and write them out in order, in parallel, "
                                   "never dropping one.",
                       epilog=CLEAN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUTPUT", default="-",
                   help="output file or directory (default: stdout); written atomically")
    p.add_argument("--format", choices=("auto", *FORMATS), default="auto",
                   help="input format (default: from the file name; stdin: txt)")
    p.add_argument("--output-format", choices=FORMATS, help="output format (default: the input's)")
    p.add_argument("--url", help="text inputs: the page's URL, selects the site's rules by host")
    g = p.add_argument_group("records (JSONL, Parquet)")
    g.add_argument("--field", default="text", help="field holding the text (default: text)")
    g.add_argument("--out-field", help="write the clean text here (default: replace --field)")
    g.add_argument("--url-field", default="url", help="field holding the URL, for site rules (default: url)")
    g.add_argument("--id-field", help="field naming the record in messages; text files' name key (default: id)")
    g.add_argument("--metadata", action="store_true", help="add the extracted metadata as boilerstrip_metadata")
    g.add_argument("--explain", action="store_true",
                   help='add "boilerstrip": site, removed spans with rule ids, warnings')
    g.add_argument("--html", action="store_true", help="inputs are HTML: extract the article first")
    g = p.add_argument_group("running")
    g.add_argument("-j", "--workers", type=int,
                   help=f"worker processes (default: all cores, here {default_workers()}, or 1 for inputs "
                        "under 1 MB); 1 runs in-process")
    g.add_argument("--batch-size", type=int, default=64,
                   help="records per message to a worker (default: %(default)s)")
    g.add_argument("--on-error", choices=("flag", "fail"), default="flag",
                   help="flag: write the record with an error field, exit 1 at the end (default); "
                        "fail: stop at the first, leave no output file")
    g.add_argument("--stats", type=Path, metavar="FILE", help="write run statistics as JSON")
    g.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    g.add_argument("--resume", action="store_true",
                   help="directory output: skip inputs whose output already exists (outputs are "
                        "only ever complete)")
    _add_rule_options(p)
    _add_html_options(p)

    p = sub.add_parser("explain", help="show what was removed and by which rule",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", metavar="INPUT", help="text file, or - for stdin")
    p.add_argument("--url", help="the page's URL: selects the site's rules by host")
    p.add_argument("--inline", action="store_true", help="show the source with removed spans marked in place")
    p.add_argument("--html", action="store_true",
                   help="INPUT is an HTML page: explain HTML mode (the source is trafilatura's text, or "
                        "the whole page's text when HTML mode cleaned the page whole)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    _add_rule_options(p)
    _add_html_options(p)

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


def _target(args: argparse.Namespace, many: bool) -> Target:
    """Where ``clean`` writes: stdout, one file, or a directory (several inputs, unless -o names a record file)."""
    out = args.output
    if out == "-":
        return Target("stdout", None, args.output_format)
    path = Path(out)
    named = record_format(path.name)
    if path.is_dir() or out.endswith("/") or (many and named is None):
        return Target("dir", path, args.output_format)
    return Target("file", path, args.output_format or named)


def _cmd_clean(args: argparse.Namespace, cleaner: Cleaner) -> int:
    if (args.workers is not None and args.workers < 1) or args.batch_size < 1:
        print("boilerstrip: --workers and --batch-size must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        sources = expand_inputs(args.inputs, None if args.format == "auto" else args.format)
    except InputError as exc:
        print(f"boilerstrip: {exc}", file=sys.stderr)
        return EXIT_USAGE
    many = len(args.inputs) > 1 or any(Path(i).is_dir() for i in args.inputs if i != "-")
    target = _target(args, many)
    problem = _check_target(target, sources, args) or _check_stats_path(args.stats)
    if problem:
        print(f"boilerstrip: {problem}", file=sys.stderr)
        return EXIT_USAGE
    options = RecordOptions(field=args.field, out_field=args.out_field, url_field=args.url_field or None,
                            id_field=args.id_field, metadata=args.metadata, explain=args.explain,
                            html=args.html)
    sizes = [s.size() for s in sources]
    small = None not in sizes and sum(s for s in sizes if s is not None) < SMALL_INPUT
    workers = args.workers or (1 if small or _one_document(sources) else default_workers())
    progress = Progress(enabled=False if args.quiet else None,
                        total_bytes=None if None in sizes else sum(s for s in sizes if s is not None))
    runner = Runner(sources, target, JobSpec(cleaner, options, args.url),
                    workers=workers, batch_size=args.batch_size, fail_fast=args.on_error == "fail",
                    resume=args.resume, progress=progress, notes=lambda m: print(m, file=sys.stderr))
    try:
        outcome = runner.run()
    except (InputError, OSError) as exc:
        print(f"boilerstrip: {exc}", file=sys.stderr)
        return EXIT_USAGE
    stats = outcome.stats
    if args.stats:
        try:
            args.stats.write_text(json.dumps(
                {**stats.to_dict(cr.id for cr in cleaner.rulebook.rules),
                 "ruleset_version": cleaner.ruleset_version, "skipped_inputs": outcome.skipped,
                 "unreadable_inputs": outcome.unreadable},
                indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"boilerstrip: {args.stats}: cannot write ({exc.strerror or exc})", file=sys.stderr)
            return EXIT_USAGE
    if outcome.unreadable:
        consequence = {"file": "no output was written",
                       "dir": "they have no output (--resume retries them); every other input was cleaned",
                       "stdout": "what was read before the failure was cleaned, and every other input"}
        print(f"boilerstrip: {len(outcome.unreadable)} input(s) could not be read (above); "
              f"{consequence[target.mode]}", file=sys.stderr)
        return EXIT_USAGE
    if outcome.failed:
        print(f"boilerstrip: stopped at the first flagged record (--on-error fail): {outcome.failed}",
              file=sys.stderr)
        return EXIT_FLAGGED
    if not args.quiet and not _plain_text_run(sources, target):
        if outcome.skipped:
            print(f"boilerstrip: --resume: skipped {outcome.skipped} input(s) already done", file=sys.stderr)
        print(stats.summary(), file=sys.stderr)
    return EXIT_FLAGGED if stats.errors else EXIT_OK


def _one_document(sources: Sequence[Source]) -> bool:
    """One text input (``cat article.txt | boilerstrip clean -``): one task, which no pool can share out.

    Its size is unknown on stdin, and starting the workers would cost more than the document (~30 ms).
    """
    return len(sources) == 1 and kind_of(sources[0].format) == "txt"


def _plain_text_run(sources: Sequence[Source], target: Target) -> bool:
    """Text files printed to stdout: the command prints just the text, as ``cat`` would."""
    return target.mode == "stdout" and all(kind_of(s.format) == "txt" for s in sources) and not target.format


def _check_target(target: Target, sources: Sequence[Source], args: argparse.Namespace) -> str | None:
    """A usage problem with the output, or None."""
    formats = {output_format(s, target) for s in sources}
    if target.mode == "stdout" and "parquet" in formats:
        return "Parquet cannot go to stdout: give -o FILE.parquet, or --output-format jsonl"
    if target.mode == "file" and kind_of(target.format or "txt") == "txt" and len(sources) > 1:
        return "several inputs into one text file: use -o DIR, or a .jsonl output"
    if args.resume and target.mode != "dir":
        return "--resume needs directory output (-o DIR): it skips inputs whose output exists"
    if target.mode == "dir" and any(s.path is None for s in sources):
        return "stdin cannot go to a directory: give -o FILE"
    return None


def _check_stats_path(path: Path | None) -> str | None:
    """A problem with the --stats file's directory, found before the run rather than after it."""
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"{path}: cannot write ({exc.strerror or exc})"
    return None


def _cmd_explain(args: argparse.Namespace, cleaner: Cleaner) -> int:
    from cleaner.explain import render_inline, render_removals  # here: start-up time of every other command

    try:
        if args.html:
            result = cleaner.clean_html(read_bytes(args.input), url=args.url)
        else:
            result = cleaner.clean_document(read_document(args.input), url=args.url)
    except InputError as exc:
        print(f"boilerstrip: {exc}", file=sys.stderr)
        return EXIT_FLAGGED
    except ValueError as exc:  # too large, HTML over its time budget
        print(f"boilerstrip: {args.input}: {exc}", file=sys.stderr)
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
        if case.rule_id in book.by_id:
            rule = book.rules[book.by_id[case.rule_id]].rule
            where = f"{rule.source}:{rule.line}: "
        else:  # an HTML rule
            where = ""
        print(f"FAIL {where}{case.name}: {problem}")
    print(f"{len(failed)} failing of {sum(1 for _ in example_cases(book))} examples")
    return EXIT_FLAGGED if failed else EXIT_OK


def _check_user_rules(cleaner: Cleaner, dirs: Sequence[Path]) -> None:
    """Raise ``RuleFileError`` for a rule of ``dirs`` whose pattern runs away on its own examples.

    Only the user's rules (the bundled ones are tested), and only time-outs: an example that
    merely fails is ``rules test``'s business, a runaway pattern would flag document after document.
    """
    if not dirs:
        return
    from cleaner.ruletest import runaway_patterns  # here, not at the top: no run without --rules needs it

    book = cleaner.rulebook
    ids = {cr.id for cr in book.rules if any(Path(cr.rule.source).is_relative_to(d) for d in dirs)}
    for problem in runaway_patterns(book, ids, timeout=cleaner.config.regex_timeout):
        raise problem


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cleaner = Cleaner(config_from_args(args))
        if args.command in ("clean", "explain"):
            _check_user_rules(cleaner, args.rules)
            if args.html:
                cleaner.check_html_rules()
    except RuleFileError as exc:
        print(f"boilerstrip: invalid rule file: {exc}", file=sys.stderr)
        return EXIT_USAGE
    handlers = {"clean": _cmd_clean, "explain": _cmd_explain, "rules": _cmd_rules}
    return handlers[args.command](args, cleaner)


if __name__ == "__main__":
    sys.exit(main())
