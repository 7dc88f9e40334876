"""``gc_paused``: the collector is paused, restored, and what the pause built is not rescanned."""

from __future__ import annotations

import gc
import weakref

from krat_core.format.canonical import _PROMOTE_AFTER, gc_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _build(n: int) -> list[list[int]]:
    return [[i] for i in range(n)]


def _in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_what_a_long_pause_built_leaves_the_young_generation_and_nothing_stays_frozen() -> None:
    assert gc.isenabled()
    gc.collect()
    with gc_paused():
        assert not gc.isenabled()
        built = _build(_PROMOTE_AFTER + 10_000)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    # Moved to the oldest generation at once, not scanned by a young collection first.
    assert _in_generation(built[-1], 2)
    assert not _in_generation(built[-1], 0) and not _in_generation(built[-1], 1)


def test_cyclic_garbage_made_during_the_pause_is_still_collected() -> None:
    gc.collect()
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        watch = weakref.ref(a)
        del a, b
        padding = _build(_PROMOTE_AFTER + 10_000)  # enough to be promoted
    del padding
    assert watch() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert watch() is None


def test_objects_frozen_by_the_program_stay_frozen() -> None:
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with gc_paused():
            built = _build(_PROMOTE_AFTER + 10_000)
        assert gc.get_freeze_count() == frozen  # none thawed, none of ours frozen
        assert not _in_generation(built[-1], 2)  # left to age as usual
        del built
    finally:
        gc.unfreeze()


def test_a_short_pause_or_a_disabled_collector_changes_nothing() -> None:
    gc.collect()
    with gc_paused():
        small = _build(100)
    assert gc.isenabled()
    assert 0 < gc.get_count()[0] < _PROMOTE_AFTER
    gc.disable()
    try:
        with gc_paused():
            built = _build(_PROMOTE_AFTER + 10_000)
        assert not gc.isenabled()
        assert gc.get_count()[0] > _PROMOTE_AFTER  # the caller's choice: nothing moved
    finally:
        gc.enable()
    del small, built
