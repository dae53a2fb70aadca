"""The action server registers exactly the domain's custom actions (abstract bases excluded)."""
from pathlib import Path

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
    app = serve.create_app()
    assert "health" in {route.path.strip("/") for route in app.router.routes}
    assert serve.HOST == "127.0.0.1"
