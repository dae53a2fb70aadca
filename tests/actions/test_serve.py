"""The action server registers exactly the domain's custom actions (abstract bases excluded)."""
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from actions import serve

ROOT = Path(__file__).resolve().parents[2]


def test_registered_actions_match_the_domain():
    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(executor.actions) == set(domain["actions"])


def test_server_app_has_health_route_and_binds_loopback():
    app = serve.create_app("s3cret")
    assert len(app.request_middleware) == 1
    assert "health" in {route.path.strip("/") for route in app.router.routes}
    assert serve.HOST == "127.0.0.1"


class _Request:
    """What the token guard reads of a Sanic request."""

    def __init__(self, method: str, path: str, token: str | None = None):
        self.method, self.path = method, path
        self.args = {"token": token} if token is not None else {}


@pytest.mark.parametrize(
    "method, path, token, status",
    [
        ("POST", "/webhook", None, 401),
        ("POST", "/webhook", "wrong", 401),
        ("POST", "/webhook", "", 401),
        ("POST", "/webhook", "ngắn", 401),  # not ASCII: refused, not an error
        ("GET", "/actions", None, 401),
        ("POST", "/webhook", "s3cret", None),
        ("GET", "/actions", "s3cret", None),
        ("GET", "/health", None, None),
    ],
)
async def test_calls_without_the_token_are_refused(method, path, token, status):
    response = await serve.token_guard("s3cret")(_Request(method, path, token))
    assert (response.status if response is not None else None) == status


async def test_without_a_token_set_everything_but_health_is_refused():
    guard = serve.token_guard("")
    assert (await guard(_Request("POST", "/webhook", ""))).status == 401
    assert await guard(_Request("GET", "/health")) is None
