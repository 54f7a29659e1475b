"""CPU readings from /proc: a process group's CPU time and the whole machine's load."""

import os
import time
from pathlib import Path


def read_group_cpu(pgid: int) -> float:
    """Return the CPU seconds (user + system) used so far by the live processes of group pgid."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[0] is the state; pgrp is the 5th field of stat
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def read_named_cpu(name: str) -> float:
    """Return the CPU seconds used so far by the live processes called name (a database server)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            comm, rest = Path(entry.path, "stat").read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        if comm == name:
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def read_machine_busy() -> tuple[float, float]:
    """Return (busy, total) jiffies of all cores from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def measure_background(seconds: float = 1.0) -> float:
    """Return how many cores the machine kept busy over the next seconds (our servers idle)."""
    first = read_machine_busy()
    time.sleep(seconds)
    last = read_machine_busy()
    return (last[0] - first[0]) / max(1, last[1] - first[1]) * (os.cpu_count() or 1)


def wait_for_quiet_machine(max_wait: float, *, threshold: float = 0.2) -> float:
    """Wait up to max_wait seconds until other processes use under threshold cores; return their use."""
    deadline = time.monotonic() + max_wait
    background = measure_background()
    while background >= threshold and time.monotonic() < deadline:
        print(
            f"the machine is busy with other work ({background:.2f} cores); waiting ...", flush=True
        )
        time.sleep(4)
        background = measure_background()
    return background
