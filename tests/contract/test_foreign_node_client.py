"""A second Help Scout client nobody here wrote, in another language: the npm package
`helpscout-mailbox-api` (pinned in node_client/package-lock.json), driven by
node_client/drive.js against a live sandbox: list, next page, embed, an OR search, create,
reply, note, PATCH, customer sub-resources, and the demo seed's teams with the first
team's members (the client's own `teams.list()` and `teams.teamMembers.list()`).

The package is installed with `npm ci` into a cache directory (HELPSCOUT_NODE_CLIENT_CACHE,
default .cache/node-client in the repository), again only when the lock file changes.
Without node or npm the test fails, naming what is missing: it never skips."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox

HERE = Path(__file__).parent / "node_client"
REPOSITORY = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: the foreign Node client test needs Node 20 and npm",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """The pinned client, installed once per lock file into the cache directory."""
    node, npm = _tool("node"), _tool("npm")
    version = subprocess.run(  # noqa: S603 (our own argv)
        [node, "--version"], capture_output=True, text=True, check=True
    )
    major = int(version.stdout.strip().lstrip("v").split(".")[0])
    assert major >= 18, f"Node {version.stdout.strip()} is too old for the client (needs 18+)"
    cache = Path(os.environ.get("HELPSCOUT_NODE_CLIENT_CACHE", REPOSITORY / ".cache/node-client"))
    cache.mkdir(parents=True, exist_ok=True)
    lock = (HERE / "package-lock.json").read_bytes()
    stamp = cache / "installed-lock.sha256"
    digest = hashlib.sha256(lock).hexdigest()
    installed = cache / "node_modules" / "helpscout-mailbox-api"
    if not installed.is_dir() or not stamp.exists() or stamp.read_text() != digest:
        shutil.copy(HERE / "package.json", cache / "package.json")
        shutil.copy(HERE / "package-lock.json", cache / "package-lock.json")
        result = subprocess.run(  # noqa: S603 (our own argv)
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=cache,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"
        stamp.write_text(digest)
    return cache / "node_modules"


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed="demo", rate_limit_per_minute=None, write_burst=None) as sb:
        yield sb


def test_the_node_client_works_against_the_sandbox(node_modules, sandbox):
    token = httpx.post(
        sandbox.token_url,
        data={"grant_type": "client_credentials", "client_id": "node", "client_secret": "s"},
    ).json()["access_token"]
    mailbox_id = min(sandbox.store.mailboxes)
    customer = sandbox.create_customer("node.customer@foreign.example", first_name="Nodey")
    result = subprocess.run(  # noqa: S603 (our own argv)
        [
            shutil.which("node") or "node",
            str(HERE / "drive.js"),
            sandbox.api_base_url + "/",
            token,
            str(mailbox_id),
            str(customer["id"]),
        ],
        env={**os.environ, "NODE_PATH": str(node_modules)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)

    assert out["listed"] == len(sandbox.store.conversations) - 1  # before its own create
    assert len(out["secondPageIds"]) == 25
    made = sandbox.get_conversation(out["conversationId"])
    assert made["subject"] == "Node client: patched"  # the PATCH
    assert out["searchIds"] == [out["conversationId"]]  # the OR search found it
    assert sorted(out["threadTypes"]) == ["customer", "message", "note"]
    reply = next(t for t in made["_embedded"]["threads"] if t["type"] == "message")
    assert reply["cc"] == ["copy@node.example"]

    held = sandbox.store.customers[customer["id"]]
    assert [v for _i, v, _t in held.emails] == [
        "node.customer@foreign.example",
        "node2@foreign.example",
    ]
    assert [(v, t) for _i, v, t in held.phones] == [("+1 555 0101", "mobile")]
    assert [v for _i, v, _t in held.chats] == ["nodechat"]
    assert [v for _i, v, _t in held.social_profiles] == ["https://twitter.com/node"]
    assert held.websites == []  # created, then deleted
    assert out["addressCity"] == "Austin" and held.address["lines"] == ["1 Node St"]

    # The demo seed's two teams (seed_organizations.TEAMS), in id order, and the first
    # one's members: Ana and Ben, the seed's first two agents.
    teams = sorted(sandbox.store.teams.values(), key=lambda t: t.id)
    assert [(t["id"], t["name"], t["mention"]) for t in out["teams"]] == [
        (teams[0].id, "Billing team", "billing-team"),
        (teams[1].id, "Tier 2", "tier-2"),
    ]
    users = {u.email: u.id for u in sandbox.store.users.values()}
    assert out["teamMembers"] == [
        {
            "id": users["ana@example.com"],
            "firstName": "Ana",
            "lastName": "Agent",
            "email": "ana@example.com",
            "type": "user",
        },
        {
            "id": users["ben@example.com"],
            "firstName": "Ben",
            "lastName": "Bauer",
            "email": "ben@example.com",
            "type": "user",
        },
    ]
