"""A server process records at most ``recording_slots`` sessions at once; the others wait on the event loop.

Issue 15, item 10: every recording takes from the same lot and holds its row from the decrement to the commit, so
more recordings in flight in one process only queue behind that row and the interpreter's lock
(:mod:`needling.clinic.recording_slots`).
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from needling.clinic.recording_slots import RecordingSlots
from needling.clinic.settings import Settings


def busiest(slots: RecordingSlots, tasks: int) -> int:
    """The most pieces of work running at once in the thread pool when ``tasks`` ask for a slot together."""
    running, most, lock = 0, 0, threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)  # long enough for every other task to be waiting
        with lock:
            running -= 1

    async def main() -> None:
        await asyncio.gather(*(slots.run(work) for _ in range(tasks)))

    asyncio.run(main())
    return most


@pytest.mark.parametrize("n", [1, 2, 3])
def test_no_more_than_the_slots_record_at_once(n):
    assert busiest(RecordingSlots(n), 8) == n


def test_a_failed_recording_gives_its_slot_back():
    slots = RecordingSlots(1)

    def fail() -> None:
        raise ValueError("refused")

    async def main() -> str:
        with pytest.raises(ValueError, match="refused"):
            await slots.run(fail)
        return await asyncio.wait_for(slots.run(lambda: "next"), 5)  # not left waiting for the failed one's slot

    assert asyncio.run(main()) == "next"


def test_each_event_loop_has_its_own_slots():
    """A test client may run each request on an event loop of its own: a slot is never shared across loops."""
    slots = RecordingSlots(1)
    assert busiest(slots, 3) == 1 and busiest(slots, 3) == 1  # a second loop, its own semaphore


def test_the_setting_is_one_by_default_and_checked(monkeypatch):
    assert Settings().recording_slots == 1
    monkeypatch.setenv("NEEDLING_RECORDING_SLOTS", "3")
    assert Settings().recording_slots == 3
    monkeypatch.setenv("NEEDLING_RECORDING_SLOTS", "0")
    with pytest.raises(ValueError, match=r"^NEEDLING_RECORDING_SLOTS=0 is out of range; valid: 1 to 256$"):
        Settings()
    with pytest.raises(ValueError, match="recording slots: 0; valid: 1 or more"):
        RecordingSlots(0)
