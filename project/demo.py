"""`make demo`: migrate, start the sandbox, sync, create a staff login, run a worker, serve.

Then it adds the demo's content Help Scout's API cannot sync: a Beacon suggestion rule for
the product page, and a few satisfaction ratings (sent by the sandbox as webhooks).

Runs every piece as a child process, all in one process group of their own, and stops the
whole group on SIGINT (Ctrl-C), SIGTERM (`kill`) or SIGHUP (a closed terminal), and when
the process that started the demo (`make`) goes away. A port already in use is reported in
one line before anything starts.

Every run is the same demo: the sandbox reseeds its in-memory Help Scout on each start, so
the demo resets its mirror to match (a fresh `demo.sqlite3`, unless DATABASE_URL points
elsewhere) instead of showing the previous run's changes on top of a new seed.
"""

from __future__ import annotations

import os
import signal
import socket
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
SEED = os.environ.get("DEMO_SEED", "demo")
DEMO_DB = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "demo.sqlite3")
ADMIN_USER, ADMIN_PASSWORD = "staff", "staff"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
CUSTOMER_USER, CUSTOMER_PASSWORD = "customer", "customer"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "project.settings",
    "HELPSCOUT_SANDBOX_URL": SANDBOX_URL,
    "HELPSCOUT_CUSTOMER_PROPERTIES": "project.customer_properties.demo_properties",
    "TASKS_BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
}


class Stop(Exception):
    """Raised in the main thread by a stop signal (or the parent's exit)."""


class Children:
    """The demo's servers (sandbox, worker, runserver), in one process group (the first's)."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []
        self.group: int | None = None

    def spawn(self, *args: str) -> subprocess.Popen:
        # process_group=0 makes the first child a group leader; the rest join its group.
        # Not the demo's own group: a terminal's Ctrl-C reaches the demo alone, which then
        # stops the group in order, instead of every child dying mid-write at once.
        group = 0 if self.group is None else self.group
        process = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", *args], env=ENV, process_group=group
        )
        if self.group is None:
            self.group = process.pid
        self.processes.append(process)
        return process

    def run(self, *args: str, check: bool = True) -> int:
        """Run one step (migrate, sync...) to completion; a stop meanwhile ends it too.

        Steps stay in the demo's own group: they end before the group's servers do, and a
        process group whose members have all exited cannot be joined again.
        """
        process = subprocess.Popen([PYTHON, "manage.py", *args], env=ENV)  # noqa: S603
        try:
            code = process.wait()
        except BaseException:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            raise
        if check and code:
            raise subprocess.CalledProcessError(code, args)
        return code

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to the whole group, then SIGKILL for whatever is left after `timeout`.

        SIGTERM rather than SIGINT: the sandbox and the task worker stop cleanly on it,
        and a child still importing dies quietly instead of printing KeyboardInterrupt.
        """
        if self.group is None:
            return
        for signum in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.group, signum)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _group_alive(self.group):
                for process in self.processes:
                    process.poll()  # reap, so a finished child stops counting as alive
                time.sleep(0.1)
            if not _group_alive(self.group):
                return


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    # Zombies still count for killpg: only processes not yet reaped by us remain, and
    # children of our children are reaped by init once their parent is gone.
    return any(_pgid(pid) == group and not _zombie(pid) for pid in _pids())


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def port_in_use(port: int) -> bool:
    """Whether 127.0.0.1:`port` is taken (tried by binding, as the servers will).

    SO_REUSEADDR as the servers set it: connections of a previous run left in TIME_WAIT
    do not stop them, only a socket still listening does.
    """
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


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
    busy = [
        f"{name} port {port} ({var})"
        for name, port, var in (
            ("sandbox", SANDBOX_PORT, "SANDBOX_PORT"),
            ("demo", DEMO_PORT, "DEMO_PORT"),
        )
        if port_in_use(port)
    ]
    if busy:
        print(
            f"demo: {' and '.join(busy)} already in use on 127.0.0.1 (an earlier demo still "
            "running?): stop it, or pick another port, e.g. make demo DEMO_PORT=8001",
            file=sys.stderr,
        )
        return 2
    parent = os.getppid()

    def stop(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    os.environ.update(ENV)
    children = Children()
    try:
        return _run(children, parent)
    except (Stop, KeyboardInterrupt) as reason:
        print(f"demo: stopping ({reason or 'interrupted'})", file=sys.stderr, flush=True)
        return 0
    finally:
        for signum in STOP_SIGNALS:  # a second signal must not cut the cleanup short
            signal.signal(signum, signal.SIG_IGN)
        children.stop()


def _run(children: Children, parent: int) -> int:
    if "DATABASE_URL" not in os.environ and os.path.exists(DEMO_DB):
        # The sandbox below starts from its seed again: so does the mirror.
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(DEMO_DB + suffix):
                os.remove(DEMO_DB + suffix)
    children.run("migrate", "--noinput")
    commands = available_commands()
    if "helpscout_sandbox" in commands:
        children.spawn(
            "helpscout_sandbox", "--port", str(SANDBOX_PORT), "--seed", SEED, "--seed-ends-now",
            "--webhook-url", f"{DEMO_URL}/helpscout/webhook/",
            "--webhook-secret", "demo-webhook-secret",
            # The product's own Beacon key, so its signed identify verifies.
            "--beacon-secret-key", beacon_secret_key(),
        )  # fmt: skip
        if not wait_for(f"{SANDBOX_URL}/sandbox/health"):
            print("demo: the sandbox did not start", file=sys.stderr)
            return 1
        if "helpscout_sync" in commands:
            children.run("helpscout_sync", "--full", "--no-progress", check=False)
            children.run("helpscout_sync", "--resource", "docs", "--no-progress", check=False)
            if "demo_beacon_rules" in commands:  # Beacon suggestions for the product page
                children.run("demo_beacon_rules", check=False)
    else:
        print("demo: sandbox not available yet; starting without Help Scout data")
    if "demo_users" in commands:
        children.run("demo_users", ADMIN_USER, ADMIN_PASSWORD, CUSTOMER_USER, CUSTOMER_PASSWORD)
    if "db_worker" in commands:
        children.spawn("db_worker")
    children.spawn("runserver", f"127.0.0.1:{DEMO_PORT}", "--noreload")
    wait_for(f"{DEMO_URL}/admin/login/")
    if "helpscout_sandbox" in commands and "demo_ratings" in commands:
        # Ratings exist only as webhooks: rate once the webhook endpoint is serving.
        children.run("demo_ratings", "--sandbox-url", SANDBOX_URL, check=False)
    print(
        f"\n  Demo ready: {DEMO_URL}/admin/  (staff login: {ADMIN_USER} / {ADMIN_PASSWORD})\n"
        f"  End-user page: {DEMO_URL}/  (login: {CUSTOMER_USER} / {CUSTOMER_PASSWORD}); "
        "the Help button is the sandbox's Beacon stand-in\n"
        f"  Help Scout sandbox: {SANDBOX_URL}\n  Stop with Ctrl-C.\n"
        f"  (children in process group {children.group})\n",
        flush=True,
    )
    while all(child.poll() is None for child in children.processes):
        if os.getppid() != parent:  # `make` was killed: we were orphaned, stop too
            raise Stop("parent exited")
        time.sleep(0.5)
    print("demo: a child process exited; stopping the rest", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
