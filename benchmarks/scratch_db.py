"""Every benchmark creates the scratch database it needs: `ensure_database(url)`.

PostgreSQL: connects to the server's `postgres` database and creates the named one if it
is missing (a fresh machine has neither `hs_webhooks` nor `hs_admin`). SQLite creates its
file itself, so there is nothing to do.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = unquote(parts.path.lstrip("/"))
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created scratch database {name}")
