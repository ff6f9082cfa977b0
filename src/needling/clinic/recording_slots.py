"""How many sessions one server process records at once: the others wait their turn on the event loop.

Every recording of the clinic takes an item from the same lot, so from its decrement to its commit each holds that
lot's row, and the next one's decrement waits for it (:mod:`needling.clinic.stock`). A process runs Python on one
core at a time: with more recordings in flight in one process, the one that holds the lot's row waits for the
interpreter's lock among the others before it can commit, while every other recording of the clinic queues behind
the row, in the database. Measured with 50 clients recording at once on two workers
(benchmarks/bench_session_load.py): with the eight threads of each process free to record, p99 341-451 ms and the
database's 2.5 ms of processor time a recording; with one recording at a time in each process (the rest waiting on
the loop, holding no lock: an API request no connection either, a page's form the connection its log-in was read
on), p99 199-228 ms and 1.2-1.3 ms; with two, 232-258 ms.

The limit is the setting ``recording_slots`` (``NEEDLING_RECORDING_SLOTS``); the other routes keep all the threads.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")


class RecordingSlots:
    """At most ``n`` recordings at once per event loop (a server process has one; a test client may start one
    per request, each with its own slots).

    Parameters
    ----------
    n : int
        Recordings one event loop lets run at once, at least 1.
    """

    def __init__(self, n: int) -> None:
        if n < 1:
            raise ValueError(f"recording slots: {n}; valid: 1 or more")
        self.n = n
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        slots = self._by_loop.get(loop)
        if slots is None:
            slots = self._by_loop[loop] = asyncio.Semaphore(self.n)
        return slots

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """``work(*args)`` in the thread pool once a slot is free; the slot is held until it returns or raises.

        Returns
        -------
        object
            What ``work`` returned.
        """
        async with self._semaphore():
            return await run_in_threadpool(work, *args)
