"""gunicorn started and stopped by the load run: loopback only, its own process group."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import ClassVar

from bench.machine import read_group_cpu

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def find_free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """A gunicorn we start in its own process group, and stop with everything it forked."""

    running: ClassVar[list["Gunicorn"]] = []

    def __init__(
        self,
        app: str,
        *,
        env: dict,
        workers: int,
        worker_class: str,
        threads: int,
        log: Path,
        nice: int = 0,
        root: Path = ROOT,
        python: str = sys.executable,
    ):
        self.app, self.env, self.log, self.nice = app, env, log, nice
        # root: the tree whose app gunicorn serves (another checkout for a same-flow comparison).
        self.root, self.python = Path(root), python
        self.options = ["--workers", str(workers), "--worker-class", worker_class]
        if worker_class == "gthread":
            self.options += ["--threads", str(threads)]
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> "Gunicorn":
        port = find_free_port()
        self.url = f"http://{HOST}:{port}"
        command = [
            self.python,
            "-m",
            "gunicorn",
            *self.options,
            "--bind",
            f"{HOST}:{port}",
            "--chdir",
            str(self.root),
            "--log-level",
            "warning",
            "--timeout",
            "60",
            self.app,
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        Gunicorn.running.append(self)
        if self.nice:
            set_session_nice(self.process.pid, self.nice)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return
            except urllib.error.HTTPError:
                return  # it answers: the bare app has no "/"
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        return read_group_cpu(self.process.pid)

    def worker_pids(self) -> list[int]:
        text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in text.split()]

    def stop(self) -> None:
        """Stop gunicorn and its workers: TERM, then KILL after 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # Workers that outlived their master are in the same group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self in Gunicorn.running:
            Gunicorn.running.remove(self)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def set_session_nice(pid: int, nice: int) -> None:
    """Give the session of pid (its autogroup: Linux schedules sessions, not processes, fairly) a nice value."""
    Path(f"/proc/{pid}/autogroup").write_text(str(nice))


def stop_all_servers() -> None:
    """Stop every gunicorn this run started."""
    for server in list(Gunicorn.running):
        server.stop()


def server_environment(
    url: str, *, synchronous: str, root: Path = ROOT, content: Path | None = None
) -> dict:
    """Return the environment gunicorn and the CLI run in: production settings on url.

    root is the tree whose survey_app runs (this one, or an older checkout); content, when
    given, is the questionnaire package it loads instead of the project's own.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "GUNICORN_"))}
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(48),
        SURVEY_ENV="production",
        SESSION_COOKIE_SECURE="false",  # plain http on loopback; production would be https
        SQLITE_SYNCHRONOUS=synchronous,
        # Every client comes from 127.0.0.1: the per-address limit on starting a survey (a
        # script's, not a kiosk's pace) would refuse them after 60 a minute.
        START_RATE_LIMIT="1000000 per minute",
        PYTHONPATH=str(root),
    )
    if content is not None:
        env["QUESTIONNAIRES_DIR"] = str(Path(content).resolve())
    return env
