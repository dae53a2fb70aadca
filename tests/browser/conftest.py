"""Browser tests of the chat widget: Playwright for Python driving Debian's headless Chromium.

One stack (action server, Rasa with models/hue.tar.gz, gateway) for the module, on ports of its own (gateway
17000, Rasa 17005, actions 17055), and a city site on another origin (http://localhost:17100) whose page embeds
the widget with one script tag; that origin is the one WIDGET_ALLOWED_ORIGINS allows. A second site
(http://localhost:17101) is not allowed.

What they need, which `make browser-deps` (run by `make test`) installs when it can: the `playwright` package
(requirements.txt; its browser downloads are never used), Debian's `chromium` (CHROMIUM=/path overrides), and
axe-core from npm in var/node/. Where one is missing the tests skip and say which and how to get it.
Screenshots go to var/test-artifacts/.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import web

from bot.stack import Stack, isolated_settings, prepare_knowledge
from knowledge.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "hue.tar.gz"
AXE = PROJECT_ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "var" / "test-artifacts"
PORT_BASE = 17000
CITY_SITE_PORT = 17100
OTHER_SITE_PORT = 17101
CITY_SITE = f"http://localhost:{CITY_SITE_PORT}"
OTHER_SITE = f"http://localhost:{OTHER_SITE_PORT}"
GATEWAY = f"http://127.0.0.1:{PORT_BASE}"


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and os.access(path, os.X_OK) else None


def missing_dependencies() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the `playwright` package (`make setup` installs requirements.txt)")
    if not chromium_path():
        missing.append("Debian's chromium (as root: `apt-get install -y chromium`; or CHROMIUM=/path/to/chromium)")
    if not AXE.exists():
        missing.append(f"axe-core ({AXE.relative_to(PROJECT_ROOT)}: `make browser-deps`, which needs npm)")
    if not MODEL.exists():
        missing.append("the trained model (models/hue.tar.gz: `make train`)")
    return missing


def host_page(title: str, gateway: str) -> str:
    """A page of a city site: its own content and, at the end, the one tag that embeds the chat."""
    return f"""<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body>
<header><p><a href="#main">Sở Tư pháp thành phố Huế</a></p></header>
<main id="main"><h1>{title}</h1>
<p>Thông tin về hộ tịch, chứng thực và lý lịch tư pháp.</p>
<p><a href="/news">Tin tức</a></p></main>
<script src="{gateway}/widget.js" defer></script>
</body>
</html>"""


class Site:
    """A tiny web site on another origin, served from a thread of its own."""

    def __init__(self, port: int, html: str) -> None:
        self.port, self.html = port, html
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None

    async def _page(self, request: web.Request) -> web.Response:
        return web.Response(text=self.html, content_type="text/html")

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._page)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    def start(self) -> "Site":
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_ready():
    missing = missing_dependencies()
    if missing:
        pytest.skip("browser tests need " + "; ".join(missing))


@pytest.fixture(scope="module")
def stack(browser_ready, tmp_path_factory):
    work = tmp_path_factory.mktemp("browser")
    settings = replace(
        isolated_settings(work, port_base=PORT_BASE),
        public_url=GATEWAY,
        widget_allowed_origins=(CITY_SITE,),
    )
    prepare_knowledge(settings)
    running = Stack(settings, MODEL, log_dir=work / "log")
    running.start()
    try:
        running.wait_ready(progress=lambda _: None)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def sites(stack):
    city = Site(CITY_SITE_PORT, host_page("Sở Tư pháp thành phố Huế", GATEWAY)).start()
    other = Site(OTHER_SITE_PORT, host_page("Một trang không được phép", GATEWAY)).start()
    yield {"city": CITY_SITE, "other": OTHER_SITE}
    city.stop()
    other.stop()


@pytest.fixture(scope="module")
def browser(browser_ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: the tests may run as root (CI containers), where Chromium refuses its sandbox.
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.dialogs = []  # any alert()/confirm() is an XSS that ran
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
