"""Worker processes for the local engine: an ordered map over batches that always ends.

    driver ──(index, task)──► worker k's own task pipe ──► reader thread ──► queue ──► func(task)
    driver ◄──(index, ok, result)── worker k's own result pipe ◄────────────────────────┘

Why not `multiprocessing.Pool`: its workers share one task queue and one result queue, each guarded by a
lock. A worker killed while holding one (``kill -9``, the OOM killer, SIGTERM sent to the whole process
group by timeout(1), systemd or Slurm) leaves the lock taken for ever, and the driver then waits in
``Pool.terminate()``; a task a dead worker held is silently lost and ``imap`` waits for it for ever.
Here every worker has pipes of its own (nothing shared, no lock), so:

- a dead worker is seen at once (its process sentinel), and the run fails with `WorkerFailed` naming
  the worker and the signal that killed it, instead of hanging;
- shutdown is bounded: ask every worker to stop, join until a deadline, then kill what is left;
- signals: SIGINT and SIGTERM are blocked while a worker is forked, and the worker sets its own
  dispositions (SIGINT ignored: the driver handles Ctrl-C; SIGTERM default: die) before unblocking
  them, so a handler inherited from the driver (the CLI's, which raises KeyboardInterrupt) never
  runs in a worker, not even during the fork's own clean-up.

The driver never blocks on a worker that is itself blocked on the driver: each worker drains its task
pipe in a thread of its own, and the driver keeps at most ``prefetch`` tasks outstanding per worker.

This module knows nothing about documents: the engines pass the function and its initializer.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, NoReturn

_SIGNALS = {signal.SIGINT, signal.SIGTERM}
SHUTDOWN_SECONDS = 10.0
"""How long `WorkerPool.close` waits for workers to exit before killing them."""


class WorkerFailed(ChildProcessError):
    """A worker process died (killed by a signal, out of memory) or its task raised: the run stops.

    A `ChildProcessError` (an `OSError`), so the CLI reports it as one line and exits 1 (see
    docs/reliability.md)."""


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "stopped responding"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (the out-of-memory killer sends this)" if -code == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    return f"exited with code {code}"


class WorkerPool:
    """``workers`` processes running ``func`` on tasks, results in task order (`imap`).

    ``initializer(slot, *initargs)`` runs once in each worker before its first task; ``slot`` is the
    worker's number, 1..workers (the driver is 0), stable for the pool's life. Use as a context manager:
    leaving normally stops the workers (`close`), leaving on an exception kills them (`terminate`).
    """

    def __init__(
        self,
        workers: int,
        func: Callable[[Any], Any],
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        *,
        prefetch: int = 2,
        context: Any = None,
    ) -> None:
        self.prefetch = max(1, prefetch)
        ctx = context or multiprocessing.get_context()
        forking = ctx.get_start_method() == "fork"
        self._processes: list[Any] = []
        self._tasks: list[Connection] = []
        self._results: list[Connection] = []
        try:
            for slot in range(1, workers + 1):
                task_reader, task_writer = ctx.Pipe(duplex=False)
                result_reader, result_writer = ctx.Pipe(duplex=False)
                # a forked worker inherits the driver's ends of its elder siblings' pipes: it closes them
                inherited = [c.fileno() for c in (*self._tasks, *self._results)] if forking else []
                process = ctx.Process(
                    target=_worker_main,
                    args=(task_reader, result_writer, slot, func, initializer, initargs, inherited),
                    name=f"arcorpus-worker-{slot}",
                    daemon=True,
                )
                _start_with_signals_blocked(process)
                task_reader.close()  # the worker's ends: only the worker may hold them, so that its
                result_writer.close()  # death is an end of file here, not a silent wait
                self._processes.append(process)
                self._tasks.append(task_writer)
                self._results.append(result_reader)
        except BaseException:
            self.terminate()
            raise

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()

    def imap(self, tasks: Iterable[Any], window: int | None = None) -> Iterator[Any]:
        """``func(task)`` for every task, in task order; at most ``window`` tasks ahead of the one the
        caller waits for (default: 4 per worker), so memory stays bounded whatever the input size."""
        workers = len(self._processes)
        window = window or 4 * workers
        source = iter(tasks)
        outstanding: list[set[int]] = [set() for _ in range(workers)]
        ready: dict[int, Any] = {}
        sent = done = 0
        exhausted = False
        while True:
            while not exhausted and sent - done < window:
                worker = min(range(workers), key=lambda k: len(outstanding[k]))
                if len(outstanding[worker]) >= self.prefetch:
                    break
                try:
                    task = next(source)
                except StopIteration:
                    exhausted = True
                    break
                self._send(worker, (sent, task))
                outstanding[worker].add(sent)
                sent += 1
            if done in ready:
                yield ready.pop(done)
                done += 1
                continue
            if exhausted and done == sent:
                return
            self._collect(outstanding, ready)

    def _send(self, worker: int, message: Any) -> None:
        try:
            self._tasks[worker].send(message)
        except OSError:  # the worker is gone: say how
            self._fail(worker)

    def _collect(self, outstanding: list[set[int]], ready: dict[int, Any]) -> None:
        """Wait for a result or a worker's death; store results in ``ready``."""
        busy = [k for k in range(len(outstanding)) if outstanding[k]]
        sentinels = {self._processes[k].sentinel: k for k in busy}
        connections = {id(self._results[k]): k for k in busy}
        for event in wait([*(self._results[k] for k in busy), *sentinels]):
            worker = sentinels.get(event) if isinstance(event, int) else connections[id(event)]
            assert worker is not None
            connection = self._results[worker]
            while outstanding[worker]:  # results sent before a death are still results
                try:
                    if not connection.poll():
                        break
                    index, ok, value = connection.recv()
                except (EOFError, OSError):
                    self._fail(worker)
                outstanding[worker].discard(index)
                if not ok:
                    raise WorkerFailed(f"a worker process failed on task {index}:\n{value}")
                ready[index] = value
            if isinstance(event, int) and outstanding[worker]:
                self._fail(worker)

    def _fail(self, worker: int) -> NoReturn:
        process = self._processes[worker]
        process.join(1.0)
        raise WorkerFailed(
            f"worker process {process.pid} {_describe_exit(process.exitcode)}; the run was stopped"
        )

    def close(self, timeout: float = SHUTDOWN_SECONDS) -> None:
        """Ask every worker to exit, wait at most ``timeout`` seconds in all, then kill the rest."""
        for connection in self._tasks:
            try:
                connection.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for process in self._processes:
            process.join(max(0.0, deadline - time.monotonic()))
        self.terminate()

    def terminate(self, timeout: float = 5.0) -> None:
        """Kill every worker still running (they hold nothing worth saving) and reap them."""
        for process in self._processes:
            if process.exitcode is None:
                try:
                    process.kill()
                except OSError:  # pragma: no cover - already reaped
                    pass
        deadline = time.monotonic() + timeout
        for process in self._processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for connection in (*self._tasks, *self._results):
            connection.close()
        self._tasks, self._results = [], []


def _start_with_signals_blocked(process: Any) -> None:
    """Start ``process`` with SIGINT and SIGTERM blocked, so that neither can reach the child before it
    has set its own dispositions (`_worker_signals`); they stay pending and are delivered then."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows: no fork, no handler to inherit
        process.start()
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_signals() -> None:
    """In a worker: Ctrl-C is the driver's to handle (SIGINT ignored); SIGTERM ends the process at once
    (the default action). Then unblock the signals the driver blocked around the fork."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    _die_with_parent()


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the process that started it goes away, so an
    interrupted or killed run never leaves orphaned workers holding its pipes open. Elsewhere: no-op."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: rely on the driver's shutdown
        return
    # the parent may have died between the fork and the prctl: then no signal will ever come
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)


def _worker_main(
    tasks: Connection,
    results: Connection,
    slot: int,
    func: Callable[[Any], Any],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    inherited: list[int],
) -> None:
    _worker_signals()
    for fd in inherited:
        try:
            os.close(fd)
        except OSError:  # pragma: no cover - not open in this process
            pass
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def drain() -> None:  # keeps the task pipe empty, so the driver's send never waits on this worker
        try:
            while (message := tasks.recv()) is not None:
                inbox.put(message)
        except (EOFError, OSError):
            pass
        inbox.put(None)

    threading.Thread(target=drain, name="arcorpus-tasks", daemon=True).start()
    try:
        if initializer is not None:
            initializer(slot, *initargs)
        while (message := inbox.get()) is not None:
            index, task = message
            try:
                result = (index, True, func(task))
            except Exception:
                result = (index, False, traceback.format_exc())
            results.send(result)
    except (BrokenPipeError, EOFError):  # the driver went away: nothing left to do
        pass
    finally:
        results.close()
