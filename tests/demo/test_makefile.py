"""`make run` builds every link it prints on the address it serves: SITE_URL follows HOST and
PORT unless it is set, and the development settings let that host in."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_dry_run(*arguments: str, **environment: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    result = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "manage.py" in line]


def test_make_run_on_another_port_prints_links_for_that_port():
    commands = make_dry_run("PORT=8101")
    assert any("runserver 127.0.0.1:8101" in line for line in commands)
    for command in commands:  # migrate, demo, runserver
        assert "SITE_URL=http://127.0.0.1:8101 " in command, command


def test_make_run_follows_the_host_too():
    commands = make_dry_run("HOST=0.0.0.0", "PORT=9000")
    assert all("SITE_URL=http://0.0.0.0:9000 " in command for command in commands)


def test_a_site_url_of_ones_own_wins():
    commands = make_dry_run("PORT=8101", SITE_URL="https://demo.example.org")
    assert all("SITE_URL=https://demo.example.org " in command for command in commands)


def test_the_development_settings_let_the_site_urls_host_in():
    script = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "SITE_URL": "http://0.0.0.0:8101",
    }
    env.pop("ALLOWED_HOSTS", None)
    printed = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'0.0.0.0'" in printed and "'127.0.0.1'" in printed
