"""The Beacon 2 stand-in's HTTP side, under `/beacon/`: the script, its stylesheet, and
the few calls its widget makes (Docs search and articles, secure-mode previous messages,
sending a message).

Real Beacon talks to Help Scout's private Beacon endpoints; these are the sandbox's own,
shaped for the stand-in only (not part of Help Scout's public API). The browser holds no
key: Docs reads go through the Docs API handlers in-process, published articles only.
Secure mode follows Help Scout: `identify.signature` must be the hex HMAC-SHA256 of the
email under the Beacon's secret key; without it previous messages stay hidden. Reasons
given back never contain the secret or the expected signature.

Cross-origin by nature (the product page is on another port), so every answer carries
`Access-Control-Allow-Origin: *` and preflights are answered; no cookie is ever used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import docs_api
from .server import ApiError, Request, Response, Router
from .store import Invalid, NotFound

if TYPE_CHECKING:
    from .host import SandboxHost

STATIC = Path(__file__).resolve().parent / "beacon_static"
SOURCE_TYPE = "beacon-v2"  # source.type of Beacon conversations [unverified, see docs]
MAX_SUBJECT = 255
MAX_TEXT = 10_000
MAX_NAME = 80
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}
router = Router()


class BeaconError(ApiError):
    """The stand-in's error body, `{"error": message}` (what its widget shows)."""

    def response(self) -> Response:
        return _json({"error": self.message}, self.status)


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, separators=(",", ":")).encode()
    return Response(status, body, {"Content-Type": "application/json", **CORS})


def _static(name: str, content_type: str) -> Response:
    body = (STATIC / name).read_bytes()
    headers = {"Content-Type": content_type, "Cache-Control": "no-cache", **CORS}
    return Response(200, body, headers)


def handle(sb: SandboxHost, request: Request) -> Response:
    """Answer a `/beacon/...` request (never faulted, rate limited or token checked)."""
    if request.method == "OPTIONS":
        return Response(204, b"", dict(CORS))
    path = request.path[len("/beacon") :] or "/"
    try:
        with sb.store.lock:
            return router.dispatch(request, path, sb)
    except BeaconError as error:
        return error.response()
    except ApiError as error:
        return BeaconError(error.status, error.message).response()


def verify(sb: SandboxHost, email: Any, signature: Any) -> tuple[bool, str]:
    """(verified, reason): secure mode's check of `identify.signature` for `email`."""
    if not isinstance(email, str) or not email:
        return False, "identify has no email, so the visitor stays anonymous"
    if not sb.beacon_secret_key:
        return False, (
            "the sandbox has no Beacon secret key (Sandbox(beacon_secret_key=...) or "
            "helpscout_sandbox --beacon-secret-key), so no visitor can be verified"
        )
    if not isinstance(signature, str) or not signature:
        return False, "identify has no signature: secure mode needs one for previous messages"
    expected = hmac.new(sb.beacon_secret_key.encode(), email.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().lower()):
        return False, (
            "identify.signature is not the HMAC-SHA256 of this email under the Beacon's "
            "secret key (check BEACON_SECRET_KEY and that the exact email was signed)"
        )
    return True, "verified"


@router.route("GET", r"/")
def script(sb: SandboxHost, request: Request) -> Response:
    return _static("beacon.js", "application/javascript; charset=utf-8")


@router.route("GET", r"/beacon\.js")
def script_by_name(sb: SandboxHost, request: Request) -> Response:
    return script(sb, request)


@router.route("GET", r"/beacon\.css")
def stylesheet(sb: SandboxHost, request: Request) -> Response:
    return _static("beacon.css", "text/css; charset=utf-8")


def _docs_json(response: Response) -> dict:
    return json.loads(response.body)


@router.route("GET", r"/api/search")
def search(sb: SandboxHost, request: Request) -> Response:
    query = (request.param("query") or "").strip()
    if not query:
        raise BeaconError(400, "query is required")
    docs_request = Request("GET", "/search/articles", {"query": [query]}, {})
    found = _docs_json(docs_api.search_articles(sb, docs_request))["articles"]["items"][:10]
    return _json({"query": query, "articles": [{"id": a["id"], "name": a["name"]} for a in found]})


@router.route("GET", r"/api/articles/(?P<article_id>\w+)")
def article(sb: SandboxHost, request: Request, article_id: str) -> Response:
    docs_request = Request("GET", f"/articles/{article_id}", {}, {})
    try:
        found = _docs_json(docs_api.get_article(sb, docs_request, article_id))["article"]
    except ApiError:
        raise BeaconError(404, "Article not found") from None
    if found["status"] != "published":
        raise BeaconError(404, "Article not found")
    return _json({"id": found["id"], "name": found["name"], "text": found["text"]})


def _body(request: Request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BeaconError(400, "body is not JSON") from None
    if not isinstance(data, dict):
        raise BeaconError(400, "body must be a JSON object")
    return data


@router.route("POST", r"/api/session")
def session(sb: SandboxHost, request: Request) -> Response:
    """Secure mode: is this identity verified, and if so its previous messages."""
    data = _body(request)
    email: Any = data.get("email")  # raw JSON: verify() accepts only a signed string
    signature = data.get("signature")
    verified, reason = verify(sb, email, signature)
    if not verified:
        return _json({"verified": False, "reason": reason, "conversations": []})
    customer = sb.store.customer_by_email(email)
    conversations = []
    if customer is not None:
        owned = [c for c in sb.store.conversations.values() if c.customer_id == customer.id]
        owned.sort(key=lambda c: c.created_at, reverse=True)
        for conversation in owned[:20]:
            threads = [
                {
                    "id": t.id,
                    "from": "customer" if t.type == "customer" else "agent",
                    "text": t.body,
                    "createdAt": t.created_at,
                }
                for t in sorted(
                    sb.store.threads_of(conversation), key=lambda t: (t.created_at, t.id)
                )
                if t.type in ("customer", "message", "chat", "phone")
            ]  # oldest first, as a conversation reads
            conversations.append(
                {
                    "id": conversation.id,
                    "number": conversation.number,
                    "subject": conversation.subject,
                    "status": conversation.status,
                    "threads": threads,
                }
            )
    return _json({"verified": True, "reason": reason, "conversations": conversations})


@router.route("POST", r"/api/messages")
def send_message(sb: SandboxHost, request: Request) -> Response:
    """Beacon's contact form: a new email conversation for this customer, source Beacon."""
    data = _body(request)
    email = data.get("email")
    text = data.get("text")
    name = data.get("name") or ""
    subject = data.get("subject") or "Message from Beacon"
    problems = []
    if not isinstance(email, str) or not _EMAIL.match(email) or len(email) > 254:
        problems.append("email must be an email address")
    if not isinstance(text, str) or not text.strip():
        problems.append("message is required")
    elif len(text) > MAX_TEXT:
        problems.append(f"message is longer than {MAX_TEXT} characters")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        problems.append(f"name must be text of at most {MAX_NAME} characters")
    if not isinstance(subject, str) or len(subject) > MAX_SUBJECT:
        problems.append(f"subject must be text of at most {MAX_SUBJECT} characters")
    if problems:
        raise BeaconError(400, "; ".join(problems))
    first, _, last = name.strip().partition(" ")
    store = sb.store
    try:
        if not store.mailboxes:
            store.add_mailbox("Support")
        customer = store.customer_for(email=email, first_name=first, last_name=last)
        conversation = store.create_conversation(
            mailbox_id=min(store.mailboxes),
            customer=customer,
            subject=subject.strip() or "Message from Beacon",
            threads=[{"type": "customer", "text": text}],
            source_type=SOURCE_TYPE,
        )
    except (Invalid, NotFound) as error:
        raise BeaconError(400, str(error)) from None
    return _json({"id": conversation.id, "number": conversation.number}, 201)
