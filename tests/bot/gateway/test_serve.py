"""`python -m bot.gateway.serve` starts the gateway from the environment and says where it listens."""
from __future__ import annotations

import asyncio
import os
import sys

import aiohttp
from aiohttp.test_utils import unused_port

from knowledge.settings import PROJECT_ROOT


def gateway_environment(test_settings, port: int) -> dict[str, str]:
    return dict(
        os.environ,
        PYTHONPATH=str(PROJECT_ROOT),
        GATEWAY_HOST="127.0.0.1",
        GATEWAY_PORT=str(port),
        DATABASE_URL=test_settings.database_url,  # with its tables: /healthz reads one
        RASA_URL=test_settings.rasa_url,
        ACTION_SERVER_URL=test_settings.action_server_url,
    )


async def test_serve_starts_and_prints_the_url(test_settings):
    port = unused_port()
    env = gateway_environment(test_settings, port)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.gateway.serve", cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert f"Trợ lý dịch vụ công Huế: http://127.0.0.1:{port}" in line.decode()
        async with aiohttp.ClientSession() as http:
            for _ in range(50):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        assert response.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("the gateway never answered")
    finally:
        process.terminate()
        await process.wait()
    assert process.returncode == 0  # SIGTERM stops it gracefully
