"""Files a staff member attached to a reply, kept between "Review reply" and "Send reply".

The confirmation page cannot carry uploaded files back, so they wait here: in a private
temporary directory, under a random name, behind a token signed for that staff user and
valid for an hour. `load` reads them (again, if a send failed and
is retried) and `discard` deletes them once sent; anything older is swept at the next
`stash`. With several web servers, the confirm POST must reach the same machine
(or point `tempfile.tempdir` at shared storage); if it does not, `load` says so instead
of sending the reply without its files.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django.core import signing

MAX_AGE_SECONDS = 3600
_SALT = "helpscout_integration.admin.upload_stash"


class StashExpired(Exception):
    """The files are gone (expired, already sent, or on another server)."""


def _root() -> Path:
    root = Path(tempfile.gettempdir()) / "helpscout-integration-uploads"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def _sweep(root: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for entry in root.iterdir():
        try:
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def stash(user, files) -> str:
    """Keep uploaded files; returns the signed token the confirmation page carries."""
    root = _root()
    _sweep(root)
    name = secrets.token_hex(16)
    folder = root / name
    folder.mkdir(mode=0o700)
    manifest = []
    for n, upload in enumerate(files):
        with open(folder / str(n), "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        manifest.append({"name": upload.name, "type": upload.content_type or ""})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return signing.dumps({"d": name, "u": user.pk}, salt=_SALT)


def _folder(user, token: str) -> Path:
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise StashExpired("The attached files expired; attach them again.") from None
    if data.get("u") != user.pk or not str(data.get("d", "")).isalnum():
        raise StashExpired("The attached files belong to another session.")
    return _root() / data["d"]


def load(user, token: str) -> list[tuple[str, str, bytes]]:
    """The stashed files as (name, MIME type, bytes)."""
    folder = _folder(user, token)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        files = [
            (item["name"], item["type"], (folder / str(n)).read_bytes())
            for n, item in enumerate(manifest)
        ]
    except (OSError, ValueError, KeyError):
        raise StashExpired(
            "The attached files are no longer here (sent already, or expired); attach them again."
        ) from None
    return files


def discard(user, token: str) -> None:
    """Delete stashed files (after they were sent)."""
    try:
        shutil.rmtree(_folder(user, token), ignore_errors=True)
    except StashExpired:
        pass
