"""A rules-only text run loads neither HTML mode nor detection: their imports are start-up time of every worker."""

from __future__ import annotations

import subprocess
import sys

RULES_ONLY_RUN = """
import sys
from cleaner import CleanConfig, Cleaner
Cleaner(CleanConfig(detect=False)).clean_document("Download App\\nThe council met on Monday.")
heavy = ("cleaner.html", "cleaner.html_decode", "cleaner.html_errors", "cleaner.html_extract", "cleaner.html_meta",
         "cleaner.html_rules", "cleaner.html_worker", "cleaner.detect", "ftfy", "lxml", "trafilatura")
print(sorted(m for m in sys.modules if m in heavy or m.startswith(tuple(h + "." for h in heavy))))
"""


def test_rules_only_run_does_not_import_html_mode_or_detection() -> None:
    out = subprocess.run([sys.executable, "-c", RULES_ONLY_RUN], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


CLEAN_RUN = """
import sys
from cleaner.cli import main
main(["clean", sys.argv[1], "-o", sys.argv[2], "--no-detect", "--quiet"])
print(sorted(m for m in sys.modules if m in ("cleaner.ruletest", "cleaner.explain")))
"""


def test_clean_run_does_not_import_rule_tests_or_explanations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Both serve other commands (``rules test``, ``explain``) or ``--rules``; ``clean`` would pay their import."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "Download App\\\\nThe council met on Monday."}\\n', encoding="utf-8")
    args = [sys.executable, "-c", CLEAN_RUN, str(source), str(tmp_path / "out.jsonl")]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


DETECT_RUN = """
import sys
from cleaner import Cleaner
Cleaner().clean_document("Download App\\nThe council met on Monday.")
print(sorted(m for m in sys.modules if m in ("stopwordsiso", "importlib.metadata")))
"""


def test_detection_reads_stop_words_without_importing_their_package() -> None:
    """stopwords-iso's import reads its version from the installed metadata (~25 ms); only its data file is needed."""
    out = subprocess.run([sys.executable, "-c", DETECT_RUN], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


STDIN_RUN = """
import sys
from cleaner.cli import main
main(["clean", "-", "--no-detect"])
print(sorted(m for m in sys.modules if m in ("multiprocessing", "concurrent.futures")), file=sys.stderr)
"""


def test_one_document_on_stdin_starts_no_worker_pool() -> None:
    """``cat a.txt | boilerstrip clean -``: one document, which a pool could not share out, but would start (~35 ms)."""
    out = subprocess.run([sys.executable, "-c", STDIN_RUN], input="Download App\nThe council met on Monday.\n",
                         capture_output=True, text=True, check=True)
    assert out.stdout == "The council met on Monday.\n"
    assert out.stderr.strip() == "[]"
