"""Repeated failed logins are slowed down: after MAX_FAILURES failures of one username, or from one address,
within WINDOW_SECONDS, that username or address may not try again for LOCK_SECONDS (doubled for every further
failure, at most MAX_LOCK_SECONDS). Kept in the gateway's memory; every failure is logged."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 15 * 60


@dataclass
class _Failures:
    count: int = 0
    first_at: float = 0.0
    locked_until: float = 0.0


@dataclass
class LoginThrottle:
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, _Failures] = field(default_factory=dict)

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return f"user:{(username or '').strip().lower()}", f"address:{address or '?'}"

    def wait_seconds(self, *keys: str) -> int:
        """Seconds before any of `keys` may try again (0: now)."""
        now = self.clock()
        waits = [self._failures[k].locked_until - now for k in keys if k in self._failures]
        return max([0, *(int(w) + 1 for w in waits if w > 0)])

    def failed(self, *keys: str) -> int:
        """Count one failure for each key; the number of failures in a row of the worst one."""
        now, worst = self.clock(), 0
        for key in keys:
            entry = self._failures.get(key)
            if entry is None or now - entry.first_at > WINDOW_SECONDS and entry.locked_until <= now:
                entry = self._failures[key] = _Failures(first_at=now)
            entry.count += 1
            if entry.count >= MAX_FAILURES:
                extra = entry.count - MAX_FAILURES
                entry.locked_until = now + min(LOCK_SECONDS * 2 ** min(extra, 10), MAX_LOCK_SECONDS)
            worst = max(worst, entry.count)
        return worst

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
