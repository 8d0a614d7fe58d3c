"""Supervision of the background-task workers (`manage.py run_workers`, started by `make run`).

One crashing task must not stop every later import and report: the supervisor starts
SIKUMI_WORKERS `db_worker` processes, each with its own worker id; when one exits (killed, out
of memory, a reader that aborted the process) the tasks it was running are marked failed with a
message the user sees (`sikumi.core.tasks.tasks_recover`) and it is started again, with a pause
that grows while it keeps dying at once. At start-up no worker runs yet, so every task still
RUNNING was left by a dead worker and is marked failed too.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sikumi.core.tasks import tasks_recover

log = logging.getLogger("sikumi.workers")

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
QUICK_DEATH_SECONDS = 10.0
MAX_PAUSE_SECONDS = 60.0


def worker_command(worker_id: str) -> list[str]:
    return [sys.executable, str(MANAGE), "db_worker", "--worker-id", worker_id, "--queue-name", "*"]


@dataclass
class Slot:
    """One worker process of the pool, restarted in place."""

    number: int
    process: subprocess.Popen[bytes] | None = None
    worker_id: str = ""
    started_at: float = 0.0
    quick_deaths: int = 0
    not_before: float = 0.0
    restarts: int = 0


@dataclass
class Supervisor:
    workers: int = 2
    command: Callable[[str], list[str]] = worker_command
    clock: Callable[[], float] = time.monotonic
    slots: list[Slot] = field(default_factory=list)

    def start(self) -> int:
        """Recover the tasks orphaned before this start and start every worker."""
        recovered = tasks_recover(worker_ids=None)
        if recovered:
            log.warning("%s task(s) left running by a dead worker marked failed", recovered)
        self.slots = [Slot(number=n) for n in range(1, max(1, self.workers) + 1)]
        for slot in self.slots:
            self._spawn(slot)
        return recovered

    def _spawn(self, slot: Slot) -> None:
        # Unique per start, so a task claimed by an earlier process of this slot is told apart.
        slot.worker_id = f"sikumi-{os.getpid()}-{slot.number}-{slot.restarts}"[:64]
        slot.process = subprocess.Popen(self.command(slot.worker_id))
        slot.started_at = self.clock()

    def check(self) -> list[int]:
        """One round: recover and restart every worker that exited. Returns the exit codes seen."""
        codes: list[int] = []
        now = self.clock()
        for slot in self.slots:
            process = slot.process
            if process is not None:
                code = process.poll()
                if code is None:
                    continue
                codes.append(code)
                log.warning("worker %s exited with %s; restarting", slot.worker_id, code)
                recovered = tasks_recover(worker_ids=[slot.worker_id])
                if recovered:
                    log.warning("%s task(s) of worker %s marked failed", recovered, slot.worker_id)
                slot.process = None
                if now - slot.started_at < QUICK_DEATH_SECONDS:
                    slot.quick_deaths += 1
                else:
                    slot.quick_deaths = 0
                pause = min(MAX_PAUSE_SECONDS, float(2**slot.quick_deaths) - 1)
                slot.not_before = now + pause
            if slot.process is None and now >= slot.not_before:
                slot.restarts += 1
                self._spawn(slot)
        return codes

    def stop(self, timeout: float = 10.0) -> None:
        """Ask every worker to finish its task and stop; kill those that do not."""
        running = [s.process for s in self.slots if s.process is not None]
        for process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.slots if s.process is not None]
