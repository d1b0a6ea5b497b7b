"""What `helpscout_sync` prints: counts that add up, and failures that say what to do."""

import io
import re
import socket

import pytest
from django.core.management import CommandError, call_command

from helpscout_integration.conf import build_settings
from helpscout_integration.exceptions import (
    AuthenticationError,
    NetworkError,
    ServerError,
)
from helpscout_integration.sync.failure import RESUME, explain

pytestmark = pytest.mark.django_db


@pytest.mark.helpscout_sandbox(seed="demo", rate_limit_per_minute=None)
def test_full_sync_summary_counts_distinct_items(helpscout_sandbox):
    out = io.StringIO()
    call_command(
        "helpscout_sync", "--full", "--resource", "customers", "--resource", "conversations",
        "--resource", "docs", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    lines = {m.group(1): m.group(0) for m in re.finditer(r"^  (\w+) \(.*$", text, re.M)}
    # 2,000 conversations: 2,000 listed, each created once; overlapping pages said in words.
    assert re.search(
        r"conversations \(full\): 2000 listed: created 2000, updated 0, unchanged 0"
        r"(; \d+ listed again by overlapping pages or phases \(written once\))?$",
        lines["conversations"],
    ), lines["conversations"]
    assert re.search(
        r"customers \(full\): 200 listed: created 200, updated 0, unchanged 0", lines["customers"]
    ), lines["customers"]
    assert "docs (full): 40 listed: created 40, updated 0, unchanged 0" in lines["docs"]


@pytest.mark.helpscout_sandbox(seed="large:30", rate_limit_per_minute=None)
def test_a_second_full_sync_finds_everything_unchanged(helpscout_sandbox):
    call_command("helpscout_sync", "--full", stdout=io.StringIO())
    out = io.StringIO()
    call_command("helpscout_sync", "--full", "--resource", "conversations", stdout=out)
    assert "conversations (full): 30 listed: created 0, updated 0, unchanged 30" in (out.getvalue())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_api_names_the_url_and_setting_and_suggests_no_rerun(settings):
    base = f"http://127.0.0.1:{_closed_port()}/v2"
    settings.HELPSCOUT = {"APP_ID": "a", "APP_SECRET": "b", "API_BASE_URL": base}
    with pytest.raises(CommandError) as caught:
        call_command("helpscout_sync", "--resource", "tags", stdout=io.StringIO())
    message = str(caught.value)
    assert f"could not connect to {base}/oauth2/token" in message
    assert "HELPSCOUT['API_BASE_URL'] (TOKEN_URL unset" in message
    assert "Run the command again" not in message


def test_failure_wording_per_case():
    settings = build_settings(
        {"TOKEN_URL": "http://tokens.test/t", "DOCS_API_BASE_URL": "http://docs.test/v1"}
    )
    refused = NetworkError("Could not connect", url="http://tokens.test/t", connected=False)
    assert "set by HELPSCOUT['TOKEN_URL']" in explain(refused, settings)
    assert RESUME not in explain(refused, settings)

    dropped = NetworkError("Timed out waiting for Help Scout", url="http://docs.test/v1/x")
    dropped.connected = True
    text = explain(dropped, settings)
    assert "HELPSCOUT['DOCS_API_BASE_URL']" in text and text.endswith(RESUME)

    assert explain(ServerError("Help Scout answered 503", status_code=503), settings).endswith(
        RESUME
    )
    denied = explain(AuthenticationError("401 invalid_client", status_code=401), settings)
    assert "APP_SECRET" in denied and RESUME not in denied
