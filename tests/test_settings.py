"""Production settings must pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env}
    # The browser tests allow async-unsafe ORM use in this process; a real deployment does not.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_check(
        DEBUG="0",
        SECRET_KEY="x" * 20 + "a-real-long-production-secret-0123456789",
        ALLOWED_HOSTS="eigenwijs.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_rejects_the_demo_secret_key():
    result = run_check(DEBUG="0", ALLOWED_HOSTS="eigenwijs.example", SECRET_KEY=None)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
