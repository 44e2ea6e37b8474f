"""The local engine's worker pool (`arcorpus.run.pool`): ordered results, and it always ends."""

from __future__ import annotations

import os
import signal
import time

import pytest

from arcorpus.run.pool import WorkerFailed, WorkerPool


@pytest.fixture(autouse=True)
def _hard_timeout():  # type: ignore[no-untyped-def]
    """These tests run pools in the test process: a hang must fail the test, never hold CI."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("the pool test did not end within 60 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _square(n: int) -> int:
    if n % 7 == 3:
        time.sleep(0.01)  # out-of-order completion
    return n * n


def _dispositions(_: object) -> tuple[object, object, bool]:
    blocked = signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), blocked


def _die(n: int) -> int:
    if n == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def _raise(n: int) -> int:
    if n == 2:
        raise ValueError("bad batch")
    return n


def _slot(_: object) -> int:
    return _SLOT[0]


_SLOT = [0]


def _remember_slot(slot: int) -> None:
    _SLOT[0] = slot


def test_results_come_in_task_order() -> None:
    with WorkerPool(2, _square) as pool:
        assert list(pool.imap(range(100), window=5)) == [n * n for n in range(100)]


def test_each_worker_has_its_own_slot() -> None:
    with WorkerPool(2, _slot, _remember_slot) as pool:
        assert set(pool.imap(range(20))) <= {1, 2}


def test_workers_never_run_the_drivers_signal_handlers() -> None:
    def handler(signum: int, frame: object) -> None:  # what the CLI installs: raises in the driver
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        with WorkerPool(2, _dispositions) as pool:
            results = list(pool.imap(range(4)))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert results == [(signal.SIG_IGN, signal.SIG_DFL, False)] * 4
    assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, set()), "driver's mask restored"


def test_a_killed_worker_fails_the_run_instead_of_hanging() -> None:
    started = time.monotonic()
    with pytest.raises(WorkerFailed, match="killed by SIGKILL"):
        with WorkerPool(2, _die) as pool:
            list(pool.imap(range(50)))
    assert time.monotonic() - started < 30


def test_a_task_that_raises_fails_the_run_with_its_traceback() -> None:
    with pytest.raises(WorkerFailed, match="ValueError: bad batch"):
        with WorkerPool(2, _raise) as pool:
            list(pool.imap(range(10)))


def test_abandoning_the_results_stops_every_worker() -> None:
    pool = WorkerPool(2, _square)
    processes = list(pool._processes)
    try:
        for _ in pool.imap(range(1000)):
            raise RuntimeError("consumer fails")
    except RuntimeError:
        pool.terminate()
    assert all(p.exitcode is not None for p in processes)


def test_close_is_bounded_even_if_a_worker_never_reads() -> None:
    pool = WorkerPool(1, _square)
    (process,) = pool._processes
    os.kill(process.pid, signal.SIGSTOP)  # a worker that cannot answer
    started = time.monotonic()
    pool.close(timeout=0.5)
    assert time.monotonic() - started < 10 and process.exitcode is not None
