"""Run the extraction of one page in a worker subprocess, and kill it when over the time budget.

Why a worker process
--------------------
trafilatura has no timeout in library use: a pathological page (huge tables, deeply nested
markup, a regex meeting a giant attribute) can run for minutes, and one such page must not stall
a batch. The options considered:

* ``signal.alarm``: only works in the main thread of the main interpreter, so not in thread pools
  (Dask, Ray threaded actors, web servers), and a Python signal handler only runs between
  bytecodes: a long call inside lxml/libxml2 or ``re`` is not interrupted at all.
* a thread with ``join(timeout)``: the caller gets control back but the thread keeps burning a
  core and memory; Python threads cannot be killed.
* a **worker subprocess** that can be killed: really stops the work, whatever it is doing, in
  any thread, inside ``multiprocessing`` pool workers (which are daemonic and may not start
  ``multiprocessing`` children, but may start plain subprocesses) and inside Spark executors.

So extraction runs in a long-lived worker started with :mod:`subprocess` (one per calling thread,
created lazily, so threads extract in parallel). Requests and answers are ``marshal``-ed
builtins over pipes (about 0.1 ms per page, against ~15-30 ms of extraction). The budget clock
starts once the worker is up, so its start-up (importing trafilatura, ~1 s) is never charged to a
page. Over budget, the worker is killed, :class:`HtmlTimeoutError` is raised, and the next call
starts a fresh worker. A crash of the worker (segfault in a C library, out of memory) becomes an
:class:`HtmlError` instead of killing the caller. A worker inherited through ``fork`` is never
reused by the child (its pipes belong to the parent). ``time_budget_s=None`` runs trafilatura in
the calling process with no bound (tests, debugging, platforms without ``select`` on pipes).

Why a module of its own: this is process management (start, frames on pipes, deadlines, kill),
apart from what the worker does (:func:`cleaner.html_extract.extract_in_process`). The worker
registers the package without running its ``__init__`` and imports this module, which imports
only what the extraction needs, never the rest of boilerstrip.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import select
import struct
import subprocess
import sys
import threading
import time
import weakref
from typing import Any

from cleaner.html_errors import HtmlError, HtmlTimeoutError
from cleaner.html_extract import extract_in_process

try:
    import fcntl
except ImportError:  # Windows: no fcntl, pipes keep their default size
    fcntl = None  # type: ignore[assignment]

_HEADER = struct.Struct(">Q")
_STARTUP_TIMEOUT_S = 120.0
#: The worker's program: the package is registered from its directory without running its
#: ``__init__`` (which imports all of boilerstrip), then this module is imported and serves.
_BOOT = (
    "import importlib.util, sys\n"
    "sys.path[:0] = {paths!r}\n"
    "spec = importlib.util.spec_from_file_location('cleaner', {init!r}, submodule_search_locations=[{package!r}])\n"
    "sys.modules['cleaner'] = importlib.util.module_from_spec(spec)\n"
    "from cleaner.html_worker import _serve\n"
    "_serve()\n"
)


def _write_frame(stream: Any, obj: Any) -> None:
    payload = marshal.dumps(obj)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_frame(stream: Any) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    return marshal.loads(stream.read(size))


def _serve() -> None:
    """Worker main loop: one request in, one answer out, until the parent closes the pipe.

    Protocol frames own the real stdout; anything printed by libraries goes to stderr.
    """
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    import trafilatura  # noqa: F401  -- import before "ready" so start-up is not charged to a page

    _write_frame(out, ("ready",))
    while (request := _read_frame(sys.stdin.buffer)) is not None:
        try:
            answer: tuple[Any, ...] = ("ok", *extract_in_process(*request))
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        _write_frame(out, answer)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


_PIPE_BYTES = 1 << 20


def _widen_pipe(stream: Any) -> None:
    """Let a whole page fit in the request pipe (Linux; elsewhere, and past the system cap, a no-op).

    With the default 64 kB pipe a 270 kB page (the wcxb-article-dev mean) is handed over in five
    rounds, each waking the worker and then the parent again; in one write it costs about
    0.3 ms less per page on a loaded two-core machine.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if stream is not None and set_size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(stream.fileno(), set_size, _PIPE_BYTES)


class _Worker:
    """One extraction subprocess, owned by one thread of one process."""

    def __init__(self) -> None:
        package = os.path.dirname(os.path.abspath(__file__))
        init = os.path.join(package, "__init__.py")
        boot = _BOOT.format(paths=[p for p in sys.path if p], init=init, package=package)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", boot], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
            )
        except OSError as exc:
            raise HtmlError(f"cannot start the HTML extraction worker: {exc}") from exc
        self.owner_pid = os.getpid()
        self._finalizer = weakref.finalize(self, _kill, self.process)
        _widen_pipe(self.process.stdin)
        if self._read(_STARTUP_TIMEOUT_S) != ("ready",):
            self.close()
            raise HtmlError("the HTML extraction worker did not start")

    def alive(self) -> bool:
        return self.owner_pid == os.getpid() and self.process.poll() is None

    def close(self) -> None:
        self._finalizer()

    def _read(self, timeout: float) -> Any:
        """Read one frame before ``timeout`` seconds pass; None on timeout or end of stream."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        buffer = bytearray()
        needed = _HEADER.size
        header_done = False
        while len(buffer) < needed:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, needed - len(buffer))
            if not chunk:
                return None
            buffer += chunk
            if not header_done and len(buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(buffer)
                needed, header_done = _HEADER.size + size, True
        return marshal.loads(bytes(buffer[_HEADER.size : needed]))

    def call(self, request: tuple[Any, ...], budget: float) -> tuple[Any, ...]:
        assert self.process.stdin is not None
        start = time.monotonic()
        try:
            _write_frame(self.process.stdin, request)
        except OSError as exc:
            self.close()
            raise HtmlError(f"the HTML extraction worker died: {exc}") from exc
        answer = self._read(max(budget - (time.monotonic() - start), 0.0))
        if answer is None:
            died = self.process.poll() is not None
            self.close()
            if died:
                raise HtmlError("the HTML extraction worker died while extracting this page")
            raise HtmlTimeoutError(f"HTML extraction exceeded its time budget of {budget:g} s; stopped")
        return answer


_local = threading.local()


def thread_worker() -> _Worker:
    """This thread's worker, started on first use and again after it was killed or died (or across a fork)."""
    worker = getattr(_local, "worker", None)
    if worker is None or not worker.alive():
        if worker is not None and worker.owner_pid == os.getpid():
            worker.close()
        worker = _local.worker = _Worker()
    return worker
