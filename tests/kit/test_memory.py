"""What a serving process loads once is kept out of the full garbage collections."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from precx.kit.memory import collector_paused, settle_long_lived


@pytest.fixture
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_objects_alive_when_settled_are_frozen_and_later_ones_are_not(thawed: None) -> None:
    loaded_once = [[n] for n in range(10_000)]
    settle_long_lived()
    frozen = gc.get_freeze_count()
    assert frozen >= len(loaded_once)
    made_later = [[n] for n in range(1_000)]
    assert gc.get_freeze_count() == frozen
    # A full collection walks the objects of the three generations only, not the frozen ones.
    walked = {id(o) for o in gc.get_objects()}
    assert not any(id(item) in walked for item in loaded_once)
    assert all(id(item) in walked for item in made_later)


class Node:
    """An object that can sit in a reference cycle and be watched through a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


def test_garbage_in_cycles_is_collected_before_freezing(thawed: None) -> None:
    first, second = Node(), Node()
    first.other, second.other = second, first
    watch = weakref.ref(first)
    del first, second  # only the cycle holds them now: garbage reference counting cannot free
    settle_long_lived()
    # Frozen garbage would stay for the life of the process.
    assert watch() is None


def test_a_pause_resumes_the_collector_when_the_last_one_ends() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()


def test_a_pause_ended_by_an_error_resumes_the_collector() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the work failed")
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_someone_else_disabled_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pauses_overlapping_in_threads_resume_after_the_last() -> None:
    first_in, first_may_end = threading.Event(), threading.Event()
    states: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            first_may_end.wait(5)

    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(5)
    with collector_paused():
        first_may_end.set()
        worker.join(5)
        states.append(gc.isenabled())  # the first pause ended; this one still runs
    states.append(gc.isenabled())
    assert states == [False, True]
