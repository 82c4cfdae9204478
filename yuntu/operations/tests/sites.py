"""Throw-away Yuntu sites on file databases, run as real processes (manage.py, gunicorn).

Migrating is the slow part, so one migrated database (and one with the test cast) is made per
test session and copied for each site.
"""

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
SECRET = "drill-secret-key-0123456789-0123456789-0123456789-0123"


@dataclass
class Site:
    folder: Path
    name: str

    @property
    def database(self) -> Path:
        return self.folder / f"{self.name}.sqlite3"

    def env(self, **extra) -> dict:
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        env.update(DATABASE_URL=f"sqlite:///{self.database}", MEDIA_ROOT=str(self.folder / f"media-{self.name}"),
                   SECRET_KEY=SECRET, DJANGO_SETTINGS_MODULE="config.settings", PASSWORD_MAX_AGE_DAYS="0",
                   LOG_LEVEL="WARNING")
        env.update(extra)
        return env

    def manage(self, *arguments: str, check: bool = True, timeout: int = 180, **extra) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE, env=self.env(**extra),
                                capture_output=True, text=True, timeout=timeout)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def shell(self, code: str, **extra) -> str:
        return self.manage("shell", "-v", "0", "-c", code, **extra).stdout

    def spawn(self, *command: str, log: str, **extra) -> subprocess.Popen:
        """A long-running process in its own process group (so SIGKILL reaches its children too)."""
        handle = open(self.folder / log, "wb")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen(list(command), cwd=BASE, env=self.env(**extra), stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_templates(folder: Path) -> tuple[Path, Path]:
    empty = Site(folder, "template-empty")
    empty.manage("migrate", "--noinput", "-v", "0")
    with_cast = folder / "template-cast.sqlite3"
    shutil.copyfile(empty.database, with_cast)
    Site(folder, "template-cast").shell("from yuntu.core.cast import build_cast; build_cast()")
    return empty.database, with_cast


def new_site(folder: Path, name: str, template: Path) -> Site:
    site = Site(folder, name)
    shutil.copyfile(template, site.database)
    return site
