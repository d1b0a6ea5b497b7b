"""`manage.py helpscout_sandbox` runs until interrupted and prints its URLs, not secrets."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def test_command_serves_the_seed_and_stops_on_ctrl_c():
    process = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [
            sys.executable,
            "manage.py",
            "helpscout_sandbox",
            "--port",
            "0",
            "--seed",
            "demo",
            "--webhook-url",
            "http://127.0.0.1:9/hook",
            "--webhook-secret",
            "top-secret-value",
            "--rate-limit",
            "100",
            "--time-scale",
            "60",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = [process.stdout.readline()]
        while "Ctrl-C" not in banner[-1] and banner[-1]:
            banner.append(process.stdout.readline())
        first = "".join(banner)
        assert "Help Scout sandbox running at http://127.0.0.1:" in first, first
        url = first.split(" at ")[1].split()[0]
        health = httpx.get(f"{url}/sandbox/health", timeout=5).json()
        assert health["counts"]["conversations"] == 2000 and health["counts"]["webhooks"] == 1
        token = httpx.post(
            f"{url}/v2/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"},
        ).json()
        users = httpx.get(
            f"{url}/v2/users", headers={"Authorization": f"Bearer {token['access_token']}"}
        )
        assert users.headers["X-RateLimit-Limit-Minute"] == "100"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "top-secret-value" not in first + output
    assert "/v2/oauth2/token" in first and "Sandbox stopped." in output
    exports = dict(
        line.strip().removeprefix("export ").split("=", 1)
        for line in banner
        if line.strip().startswith("export ") and "..." not in line
    )
    assert exports == {
        "HELPSCOUT_APP_ID": "sandbox-app-id",
        "HELPSCOUT_APP_SECRET": "sandbox-app-secret",
        "HELPSCOUT_DOCS_API_KEY": "sandbox-docs-key",
        "HELPSCOUT_API_BASE_URL": f"{url}/v2",
        "HELPSCOUT_TOKEN_URL": f"{url}/v2/oauth2/token",
        "HELPSCOUT_DOCS_API_BASE_URL": f"{url}/docs/v1",
        "HELPSCOUT_BEACON_SCRIPT_URL": f"{url}/beacon/",
    }
    assert "export HELPSCOUT_WEBHOOK_SECRET=..." in first
    # Every variable printed is one the README's settings snippet reads.
    readme = (ROOT / "README.md").read_text()
    after_marker = readme.split("<!-- install-snippet: settings.py -->", 1)[1]
    snippet = after_marker.split("```python\n", 1)[1].split("\n```", 1)[0]
    for name in [*exports, "HELPSCOUT_WEBHOOK_SECRET"]:
        assert f'"{name}"' in snippet, name


def test_webhook_url_without_secret_is_an_error():
    with pytest.raises(CommandError, match="webhook-secret"):
        call_command("helpscout_sandbox", "--webhook-url", "http://127.0.0.1:9/")


def test_bad_seed_is_an_error():
    with pytest.raises(CommandError, match="unknown seed"):
        call_command("helpscout_sandbox", "--port", "0", "--seed", "tiny")
