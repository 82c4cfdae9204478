"""`manage.py check --deploy` is clean with the production environment of deploy/yuntu.env.example."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def production_environment(tmp_path) -> dict:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    for line in (BASE / "deploy" / "yuntu.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            environment[key.strip()] = value.strip()
    environment.update(SECRET_KEY=secrets.token_urlsafe(50), FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(50),
                       DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media"))
    return environment


def run(arguments, environment):
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    environment = production_environment(tmp_path)
    assert run(["migrate", "--noinput", "-v", "0"], environment).returncode == 0
    result = run(["check", "--deploy", "--fail-level", "WARNING"], environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_the_demo_settings(tmp_path):
    environment = production_environment(tmp_path)
    environment.update(DEBUG="true", SESSION_COOKIE_SECURE="false", FIELD_ENCRYPTION_KEY=environment["SECRET_KEY"])
    result = run(["check", "--deploy", "--fail-level", "WARNING"], environment)
    assert result.returncode != 0
    assert "security.W018" in result.stderr and "yuntu.W001" in result.stderr
