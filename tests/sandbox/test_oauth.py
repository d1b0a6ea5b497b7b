"""OAuth2: the token endpoint's grants and the 401s Help Scout answers for bad tokens."""

import time

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox

from .conftest import token_for

CREDENTIALS = {"grant_type": "client_credentials", "client_id": "id", "client_secret": "s"}


def test_client_credentials_as_form_json_or_query(sandbox):
    for response in (
        httpx.post(sandbox.token_url, data=CREDENTIALS),
        httpx.post(sandbox.token_url, json=CREDENTIALS),
        httpx.post(sandbox.token_url, params=CREDENTIALS),
    ):
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["access_token"]
        assert body["expires_in"] == 172800  # two days by default
        me = httpx.get(
            f"{sandbox.api_base_url}/users/me",
            headers={"Authorization": f"Bearer {body['access_token']}"},
        )
        assert me.status_code == 200 and me.json()["email"] == "ana@example.com"


@pytest.mark.parametrize(
    "fields",
    [
        {"grant_type": "client_credentials", "client_id": "", "client_secret": "s"},
        {"grant_type": "client_credentials", "client_id": "id"},
    ],
)
def test_empty_credentials_are_refused(sandbox, fields):
    response = httpx.post(sandbox.token_url, data=fields)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_configured_credentials_are_enforced_and_never_echoed():
    with Sandbox(client_id="real-id", client_secret="real-secret") as sb:
        wrong = httpx.post(
            sb.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": "real-id",
                "client_secret": "guess",
            },
        )
        assert wrong.status_code == 401
        assert "guess" not in wrong.text and "real-secret" not in wrong.text
        assert token_for(sb, "real-id", "real-secret")
        assert sb.helpscout_settings()["APP_SECRET"] == "real-secret"


def test_unknown_grant_type_is_a_400(sandbox):
    response = httpx.post(sandbox.token_url, data={**CREDENTIALS, "grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_refresh_token_grant_rotates_the_refresh_token(sandbox):
    refresh = sandbox.issue_refresh_token()
    fields = {**CREDENTIALS, "grant_type": "refresh_token", "refresh_token": refresh}
    first = httpx.post(sandbox.token_url, data=fields)
    assert first.status_code == 200
    assert first.json()["refresh_token"] != refresh
    reused = httpx.post(sandbox.token_url, data=fields)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def _vnd_401(response):
    assert response.status_code == 401
    body = response.json()
    assert set(body) >= {"logRef", "message"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return body["message"]


def test_missing_and_wrong_tokens_get_401_in_help_scouts_error_shape(sandbox):
    assert "Missing" in _vnd_401(httpx.get(f"{sandbox.api_base_url}/mailboxes"))
    wrong = httpx.get(f"{sandbox.api_base_url}/mailboxes", headers={"Authorization": "Bearer nope"})
    assert "Invalid" in _vnd_401(wrong)
    basic = httpx.get(f"{sandbox.api_base_url}/mailboxes", auth=("user", "pass"))
    _vnd_401(basic)


def test_tokens_expire_after_the_scaled_lifetime():
    # 60 Help Scout seconds at a time scale of 60: the token lasts one real second.
    with Sandbox(token_ttl=60, time_scale=60) as sb:
        response = httpx.post(sb.token_url, data=CREDENTIALS)
        assert response.json()["expires_in"] == 1  # whole seconds, at least 1
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        assert httpx.get(f"{sb.api_base_url}/mailboxes", headers=headers).status_code == 200
        time.sleep(1.05)
        expired = httpx.get(f"{sb.api_base_url}/mailboxes", headers=headers)
        assert "expired" in _vnd_401(expired)


def test_revoked_tokens_get_401_and_new_tokens_work(sandbox):
    headers = {"Authorization": f"Bearer {token_for(sandbox)}"}
    sandbox.faults.revoke_tokens()
    assert "revoked" in _vnd_401(httpx.get(f"{sandbox.api_base_url}/users", headers=headers))
    fresh = {"Authorization": f"Bearer {token_for(sandbox)}"}
    assert httpx.get(f"{sandbox.api_base_url}/users", headers=fresh).status_code == 200


def test_expire_tokens_fault(sandbox):
    headers = {"Authorization": f"Bearer {token_for(sandbox)}"}
    sandbox.faults.expire_tokens()
    assert "expired" in _vnd_401(httpx.get(f"{sandbox.api_base_url}/users", headers=headers))
