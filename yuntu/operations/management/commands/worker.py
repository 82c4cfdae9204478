"""`manage.py worker`: django-tasks-db's worker, plus a heartbeat and the recovery of lost tasks."""

import os
import socket
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from yuntu.core import clock
from yuntu.operations.models import WorkerHeartbeat
from yuntu.operations.recovery import requeue_lost_tasks

HEARTBEAT_SECONDS = 5


class Command(db_worker.Command):
    help = "运行后台任务进程（带心跳）；启动时把失联进程遗留的任务重新排队。参数同 db_worker。"

    def handle(self, *args, **options):
        worker_id = f"{socket.gethostname()[:24]}:{os.getpid()}:{options['worker_id'][:8]}"
        options["worker_id"] = worker_id
        now = clock.now()
        WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={
            "hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now, "seen_at": now})
        requeue_lost_tasks()
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(worker_id, stop), daemon=True, name="heartbeat")
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            beat.join(timeout=HEARTBEAT_SECONDS)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    @staticmethod
    def _beat(worker_id: str, stop: threading.Event) -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                close_old_connections()
                WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=clock.now())
        finally:
            connection.close()
