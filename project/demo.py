"""`make demo`: migrate, start the sandbox, sync, create a staff login, run a worker, serve.

Runs every piece as a child process and stops them all on Ctrl-C, so one command gives a
newcomer a working product with Help Scout data in its admin.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

PYTHON = sys.executable
SANDBOX_PORT = int(os.environ.get("SANDBOX_PORT", "8765"))
DEMO_PORT = int(os.environ.get("DEMO_PORT", "8000"))
SANDBOX_URL = f"http://127.0.0.1:{SANDBOX_PORT}"
DEMO_URL = f"http://127.0.0.1:{DEMO_PORT}"
ADMIN_USER, ADMIN_PASSWORD = "staff", "staff"
CUSTOMER_USER, CUSTOMER_PASSWORD = "customer", "customer"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "project.settings",
    "HELPSCOUT_SANDBOX_URL": SANDBOX_URL,
    "TASKS_BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
}


def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], env=ENV, check=check)  # noqa: S603


def spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "manage.py", *args], env=ENV)  # noqa: S603


def available_commands() -> set[str]:
    import django

    django.setup()
    from django.core.management import get_commands

    return set(get_commands())


def wait_for(url: str, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (loopback only)
            return True
        except urllib.error.HTTPError:
            return True  # the server answered, even if with an error status
        except OSError:
            time.sleep(0.2)
    return False


def beacon_secret_key() -> str:
    """The demo product's BEACON_SECRET_KEY (env or settings default) for the sandbox."""
    import django

    django.setup()
    from helpscout_integration.conf import get_settings

    return get_settings().BEACON_SECRET_KEY


def main() -> int:
    os.environ.update(ENV)
    manage("migrate", "--noinput")
    commands = available_commands()
    children: list[subprocess.Popen] = []
    try:
        if "helpscout_sandbox" in commands:
            children.append(
                spawn(
                    "helpscout_sandbox",
                    "--port",
                    str(SANDBOX_PORT),
                    "--seed",
                    "demo",
                    "--webhook-url",
                    f"{DEMO_URL}/helpscout/webhook/",
                    "--webhook-secret",
                    "demo-webhook-secret",
                    # The product's own Beacon key, so its signed identify verifies.
                    "--beacon-secret-key",
                    beacon_secret_key(),
                )
            )
            if not wait_for(f"{SANDBOX_URL}/sandbox/health"):
                print("demo: the sandbox did not start", file=sys.stderr)
                return 1
            if "helpscout_sync" in commands:
                manage("helpscout_sync", "--full", check=False)
        else:
            print("demo: sandbox not available yet; starting without Help Scout data")
        if "demo_users" in commands:
            manage("demo_users", ADMIN_USER, ADMIN_PASSWORD, CUSTOMER_USER, CUSTOMER_PASSWORD)
        if "db_worker" in commands:
            children.append(spawn("db_worker"))
        children.append(spawn("runserver", f"127.0.0.1:{DEMO_PORT}", "--noreload"))
        wait_for(f"{DEMO_URL}/admin/login/")
        print(
            f"\n  Demo ready: {DEMO_URL}/admin/  (staff login: {ADMIN_USER} / {ADMIN_PASSWORD})\n"
            f"  End-user page: {DEMO_URL}/  (login: {CUSTOMER_USER} / {CUSTOMER_PASSWORD}); "
            "the Help button is the sandbox's Beacon stand-in\n"
            f"  Help Scout sandbox: {SANDBOX_URL}\n  Stop with Ctrl-C.\n",
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    sys.exit(main())
