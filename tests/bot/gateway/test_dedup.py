"""bot.gateway.dedup.ReplyCache: one reply per key, shared by repeats, forgotten on failure and after its time."""
from __future__ import annotations

import asyncio

import pytest

from bot.gateway.dedup import ReplyCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def counting(reply="ok", delay=0.0, error: Exception | None = None):
    calls = []

    async def produce():
        calls.append(1)
        await asyncio.sleep(delay)
        if error is not None:
            raise error
        return reply

    return produce, calls


async def test_a_repeated_key_gets_the_first_reply_without_producing_again():
    cache = ReplyCache()
    produce, calls = counting("answer")
    assert await cache.once("k", produce) == "answer"
    assert await cache.once("k", produce) == "answer"
    assert len(calls) == 1


async def test_repeats_while_the_reply_is_produced_wait_for_it():
    cache = ReplyCache()
    produce, calls = counting("answer", delay=0.05)
    assert await asyncio.gather(*(cache.once("k", produce) for _ in range(5))) == ["answer"] * 5
    assert len(calls) == 1


async def test_the_reply_is_finished_and_kept_when_the_asker_goes_away():
    cache = ReplyCache()
    produce, calls = counting("answer", delay=0.05)
    asker = asyncio.ensure_future(cache.once("k", produce))
    await asyncio.sleep(0.01)
    asker.cancel()  # the browser's connection dropped
    await asyncio.sleep(0.08)
    assert await cache.once("k", produce) == "answer"  # the retry gets the reply it missed
    assert len(calls) == 1


async def test_a_failure_is_not_remembered():
    cache = ReplyCache()
    failing, _ = counting(error=RuntimeError("rasa down"))
    with pytest.raises(RuntimeError):
        await cache.once("k", failing)
    produce, calls = counting("answer")
    assert await cache.once("k", produce) == "answer"
    assert len(cache) == 1 and len(calls) == 1


async def test_replies_expire_and_the_oldest_go_first():
    clock = Clock()
    cache = ReplyCache(ttl=60, max_entries=2, clock=clock)
    produce, calls = counting()
    await cache.once("a", produce)
    clock.now = 61
    await cache.once("a", produce)  # expired: produced again
    assert len(calls) == 2
    await cache.once("b", produce)
    await cache.once("c", produce)  # over max_entries: "a" dropped
    assert len(cache) == 2
    await cache.once("a", produce)
    assert len(calls) == 5
