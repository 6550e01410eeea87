"""Ordered, bounded process-pool map, and byte-identical output whatever the worker count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.parallel import ordered_map

SMALL_BATCHES = ["--batch-size", "16", "--quiet", "--no-detect"]


class AddSpec:
    """A worker that adds its spec and its process id (to prove the work really left the parent)."""

    def __init__(self, spec: int) -> None:
        self.spec = spec

    def __call__(self, task: int) -> tuple[int, int]:
        import os

        return task + self.spec, os.getpid()


def test_ordered_map_keeps_order_in_process_and_in_pool() -> None:
    import os

    one = list(ordered_map(AddSpec, 100, range(50), workers=1))
    assert [v for v, _ in one] == list(range(100, 150))
    assert {pid for _, pid in one} == {os.getpid()}
    two = list(ordered_map(AddSpec, 100, range(50), workers=2, max_in_flight=3))
    assert [v for v, _ in two] == list(range(100, 150))
    assert os.getpid() not in {pid for _, pid in two}


def test_ordered_map_pulls_tasks_lazily() -> None:
    pulled = []

    def tasks():
        for i in range(1000):
            pulled.append(i)
            yield i

    results = ordered_map(AddSpec, 0, tasks(), workers=2, max_in_flight=4)
    next(results)
    assert len(pulled) <= 5  # bounded: never the whole input
    results.close()


def _corpus(path: Path, n: int) -> None:
    lines = []
    for i in range(n):
        if i % 17 == 5:
            lines.append("{broken")
        elif i % 23 == 0:
            lines.append(json.dumps({"id": i}))
        else:
            text = f"Download App\nStory {i}: the council met on Monday to debate the budget.\nFollow us on WhatsApp"
            lines.append(json.dumps({"id": i, "text": text, "url": "https://www.standardmedia.co.ke/a"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz"])
def test_output_byte_identical_across_worker_counts(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "in.jsonl"
    _corpus(src, 300)
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.{fmt}"
        code = main(["clean", str(src), "-o", str(out), "-j", str(workers), *SMALL_BATCHES,
                     "--explain", "--metadata"])
        assert code == 1  # the broken lines and the missing fields are flagged
        outs[workers] = out.read_bytes()
    assert outs[1] == outs[2]


def test_order_and_count_preserved_with_workers(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _corpus(src, 200)
    out = tmp_path / "out.jsonl"
    main(["clean", str(src), "-o", str(out), "-j", "2", *SMALL_BATCHES])
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 200
    ids = [r.get("id", r.get("error", {}).get("line", 0) - 1) for r in records]
    assert ids == list(range(200))


def test_text_directory_identical_across_worker_counts(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    for i in range(40):
        (src / f"{i:02d}.txt").write_text(f"Download App\nArticle {i} text about the council.", encoding="utf-8")
    trees = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        assert main(["clean", str(src), "-o", str(out), "-j", str(workers), *SMALL_BATCHES]) == 0
        trees.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert trees[0] == trees[1] and len(trees[0]) == 40
    assert trees[0]["07.txt"] == b"Article 7 text about the council.\n"


ORPHAN_SCRIPT = """
import os, sys, time
from cleaner.parallel import ordered_map

class Stuck:
    def __init__(self, spec):
        pass

    def __call__(self, task):
        os.write(1, b"%d\\n" % os.getpid())  # one write: the two workers share the pipe
        time.sleep(120)

for _ in ordered_map(Stuck, None, range(4), workers=2):
    pass
"""


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for a reaper that may never come in a container)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_workers_exit_when_the_parent_is_killed() -> None:
    """kill -9 of a run (OOM killer, a cancelled job) must not leave its workers behind, holding memory."""
    import os
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    try:
        workers = [int(parent.stdout.readline()) for _ in range(2)]
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
