"""The log-in lock-out rule. Pure: no Flask, no database.

After `max_failures` failed attempts for one username (or from one client address) within
`window`, every further attempt (even with the right password) is refused until `lockout` has
passed since the last of them. Attempts refused during a lock-out are not failures, so they do
not extend it. Which attempts count, and how they are counted safely, is accounts/login.py's job.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int
    window: timedelta
    lockout: timedelta

    @classmethod
    def from_minutes(cls, max_failures: int, window_min: int, lockout_min: int) -> "LockoutPolicy":
        return cls(max_failures, timedelta(minutes=window_min), timedelta(minutes=lockout_min))

    @property
    def lookback(self) -> timedelta:
        """How far back failures can matter: a window that ended just before a lock-out began."""
        return self.window + self.lockout


def locked_until(
    failure_times: Iterable[datetime], now: datetime, max_failures: int, window: timedelta, lockout: timedelta
) -> datetime | None:
    """The end of the lock-out in force at `now`, or None when attempts are allowed."""
    times = sorted(failure_times)
    until = None
    for index in range(max_failures - 1, len(times)):
        if times[index] - times[index - max_failures + 1] <= window:
            end = times[index] + lockout
            if end > now and (until is None or end > until):
                until = end
    return until
