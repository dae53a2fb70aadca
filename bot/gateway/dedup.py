"""A citizen's message is answered once, however often the browser sends it.

The widget gives every message a client id and sends the same id again when it retries (the connection
dropped, the citizen pressed "Thử lại"). The gateway remembers, per key (sender, client id, message), the
reply being produced or produced in the last `ttl` seconds: a repeated send waits for that reply instead of
reaching Rasa a second time. A failed reply (Rasa down, timed out) is forgotten at once, so a retry is tried
for real.

The reply is produced in a task of its own, so it completes and is remembered even when the browser that
asked has gone (the answer the citizen never saw is the one the retry gets).

Memory: at most `max_entries` keys, the oldest dropped first (so the oldest is also the first to expire). It
lives in one gateway process: gateways behind a load balancer need sticky sessions (by sender) for this to hold
across them.
"""
from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Hashable

# Long enough for any retry a person makes; short enough to keep memory small.
TTL_SECONDS = 15 * 60
MAX_ENTRIES = 20_000


@dataclass
class _Entry:
    task: asyncio.Future
    at: float


class ReplyCache:
    def __init__(
        self, ttl: float = TTL_SECONDS, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def once(self, key: Hashable, produce: Callable[[], Awaitable[Any]]) -> Any:
        """The reply for `key`: produced now by `produce()`, or the one already produced or under way."""
        now = self._clock()
        self._drop_expired(now)
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry(asyncio.ensure_future(produce()), now)
            self._entries[key] = entry
            entry.task.add_done_callback(lambda task: self._forget_failure(key, task))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        # shield: a request that goes away does not cancel the reply another (or the retry) waits for.
        return await asyncio.shield(entry.task)

    def _forget_failure(self, key: Hashable, task: asyncio.Future) -> None:
        failed = task.cancelled() or task.exception() is not None  # .exception() also marks it retrieved
        entry = self._entries.get(key)
        if failed and entry is not None and entry.task is task:
            del self._entries[key]

    def _drop_expired(self, now: float) -> None:
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if now - entry.at < self.ttl:
                break
            del self._entries[key]
