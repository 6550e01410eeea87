"""Ordered, bounded map over a process pool, with one expensive worker object per process.

Why not ``Pool.imap``: its feeder thread drains the whole input iterator ahead of the
workers, so a 20 GB JSONL would be read into memory. Here at most ``max_in_flight``
batches are submitted and not yet consumed; results come back in input order, so the
output does not depend on the number of workers or on which finished first.

A batch should hold many documents (16+): one message costs ~23 µs, and with batches
two processes run at 2x one. ``workers=1`` runs in the calling process with the very
same worker function, so outputs are byte-identical whatever the worker count.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

# The worker object of this process, set once by the pool initializer: it holds what is
# costly to build (a Cleaner compiles its rules) and is reused for every batch.
_worker: Callable[[Any], Any] | None = None


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _init(factory: Callable[[Any], Callable[[Any], Any]], spec: Any) -> None:
    global _worker
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="exit-with-parent", daemon=True).start()
    _worker = factory(spec)


def _exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """End this worker once its parent is gone.

    A parent killed outright (``kill -9``, the OOM killer, a cancelled job) cannot shut the
    pool down, and its workers would wait for tasks forever, each holding a compiled rule book.
    When the parent dies the worker is re-parented, so ``getppid`` changes.
    """
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _call(task: Any) -> Any:
    assert _worker is not None, "pool initializer did not run"
    return _worker(task)


def ordered_map(
    factory: Callable[[Any], Callable[[T], R]],
    spec: Any,
    tasks: Iterable[T],
    *,
    workers: int,
    max_in_flight: int | None = None,
) -> Iterator[R]:
    """Yield ``worker(task)`` for each task, in order, where ``worker = factory(spec)`` once per process.

    ``factory`` and ``spec`` must pickle (a top-level class and a frozen config do).
    ``max_in_flight`` (default ``2 * workers + 2``) bounds the batches held in memory.
    Processes are started (forked) before ``tasks`` is first pulled, so the parent
    has opened nothing and started no thread when they fork.
    """
    if workers <= 1:
        worker = factory(spec)
        for task in tasks:
            yield worker(task)
        return
    # Imported here: ~20 ms of start-up that a one-process run never needs.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    limit = max_in_flight or 2 * workers + 2
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(factory, spec)) as pool:
        pool.submit(os.getpid).result()  # starts the processes now
        pending: deque[Future[R]] = deque()
        try:
            for task in tasks:
                pending.append(pool.submit(_call, task))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

