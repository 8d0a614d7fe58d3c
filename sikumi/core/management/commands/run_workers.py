import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from sikumi.core.supervisor import Supervisor


class Command(BaseCommand):
    help = (
        "Run SIKUMI_WORKERS background-task workers and restart any that dies; tasks a dead "
        "worker was running are marked failed with a message for their user."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--workers", type=int, default=None, help="Number of workers (SIKUMI_WORKERS)."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or settings.SIKUMI_WORKERS
        supervisor = Supervisor(workers=workers)
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        recovered = supervisor.start()
        self.stdout.write(
            f"Pekerja latar belakang: {workers} proses diawasi"
            + (f"; {recovered} tugas yang terhenti ditandai gagal" if recovered else "")
        )
        try:
            while not stopping:
                supervisor.check()
                time.sleep(options["interval"])
        finally:
            supervisor.stop()
