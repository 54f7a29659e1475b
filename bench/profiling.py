"""Where gunicorn's workers spend their time: py-spy samples over a phase, summed by function."""

import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

from bench.clients import PhaseStats
from bench.servers import Gunicorn

ENVELOPE = 0.6  # a function on more than this share of the samples is part of every request


async def profile_workers(
    stats: PhaseStats, server: Gunicorn, folder: Path, label: str
) -> list[Path]:
    """Sample every worker with py-spy over the measured window; return the raw stack files."""
    await asyncio.sleep(max(0.0, stats.window_start - time.perf_counter()))
    seconds = max(1, int(stats.stop_at - time.perf_counter()))
    folder.mkdir(parents=True, exist_ok=True)
    files, processes = [], []
    for pid in server.worker_pids():
        path = folder / f"{label}-{pid}.txt"
        command = [
            "py-spy",
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(seconds),
            "--rate",
            "250",
            "--format",
            "raw",
            "--gil",
            "--nonblocking",
            "--output",
            str(path),
        ]
        executable = Path(sys.executable).parent / "py-spy"
        command[0] = str(executable) if executable.exists() else "py-spy"
        processes.append(
            await asyncio.create_subprocess_exec(
                *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
            )
        )
        files.append(path)
    for process in processes:
        try:
            await asyncio.wait_for(process.wait(), timeout=seconds + 30)
        except TimeoutError:
            process.kill()
    return [path for path in files if path.exists()]


def summarise_profile(files: list[Path], *, top: int = 25) -> dict:
    """Return where the workers spent their samples: by package (own time) and by function (inclusive).

    Functions on nearly every stack (threads, gunicorn, Flask's WSGI entry) say nothing and are
    left out of the inclusive list.
    """
    own, packages, inclusive, total = Counter(), Counter(), Counter(), 0
    for path in files:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            frames = [frame.rsplit(":", 1)[0] + ")" for frame in stack.split(";")]
            total += int(count)
            own[frames[-1]] += int(count)
            packages[package_of(frames[-1])] += int(count)
            for frame in set(frames):
                inclusive[frame] += int(count)
    total = max(total, 1)
    below_envelope = [(f, n / total) for f, n in inclusive.most_common() if n / total < ENVELOPE]
    return {
        "samples": total,
        "own_by_package": [(p, n / total) for p, n in packages.most_common(top)],
        "inclusive": below_envelope[:top],
        "own": [(f, n / total) for f, n in own.most_common(top)],
        "files": [str(p) for p in files],
    }


def package_of(frame: str) -> str:
    """Return the package of a py-spy frame 'function (package/module.py)': a template, a library or stdlib."""
    where = frame.rpartition(" (")[2].rstrip(")")
    if where.endswith(".html"):
        return "templates (jinja2)"
    if "/" not in where:
        return where.removesuffix(".py")  # a one-module library (peewee) or a stdlib module
    return where.split("/", 1)[0]
