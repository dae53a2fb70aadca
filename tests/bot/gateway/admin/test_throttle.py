"""Failed sign-ins: a username or address is locked after 5 failures, longer each time, and freed by time."""
from bot.gateway.admin.throttle import LOCK_SECONDS, MAX_FAILURES, LoginThrottle


class Clock:
    now = 1000.0

    def __call__(self):
        return self.now


def test_lockout_grows_and_ends():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    keys = throttle.keys("An", "10.0.0.1")
    assert keys == ("user:an", "address:10.0.0.1")
    for _ in range(MAX_FAILURES - 1):
        throttle.failed(*keys)
    assert throttle.wait_seconds(*keys) == 0
    throttle.failed(*keys)
    assert 0 < throttle.wait_seconds(*keys) <= LOCK_SECONDS + 1
    throttle.failed(*keys)
    assert throttle.wait_seconds(*keys) > LOCK_SECONDS + 1  # doubled
    clock.now += 3 * LOCK_SECONDS
    assert throttle.wait_seconds(*keys) == 0



def test_the_address_is_locked_for_every_username_and_success_frees_only_the_user():
    throttle = LoginThrottle(clock=Clock())
    for name in ("an", "binh", "chi", "dung", "em"):
        throttle.failed(*throttle.keys(name, "10.0.0.1"))
    assert throttle.wait_seconds(*throttle.keys("giang", "10.0.0.1")) > 0
    assert throttle.wait_seconds(*throttle.keys("giang", "10.0.0.2")) == 0
    throttle.succeeded("user:an")
    assert throttle.wait_seconds(*throttle.keys("an", "10.0.0.1")) > 0
