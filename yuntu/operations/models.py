from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker says it is alive every few seconds; a task whose worker went silent is re-queued."""

    worker_id = models.CharField("任务进程编号", max_length=64, unique=True)
    hostname = models.CharField("主机", max_length=255)
    pid = models.IntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = "任务进程心跳"

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.hostname}:{self.pid}"


class ScheduledRun(models.Model):
    """One firing of a periodic job: the unique (job, slot) pair lets several schedulers run without doubles."""

    job = models.CharField("定时任务", max_length=100)
    slot = models.DateTimeField("计划时刻")
    enqueued_at = models.DateTimeField("入队时间", auto_now_add=True)
    task_result_id = models.CharField("任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "定时任务执行"
        verbose_name_plural = "定时任务执行"
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_unique_job_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
