"""Settings are safe by default: production must pass Django's deployment checklist, and without a
secret key of its own it does not start at all.

Every test runs Django in a subprocess, so the settings module is imported fresh from exactly the
environment the test gives it (the test process's own DEBUG, SECRET_KEY and settings are left out).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_KEY = "django-insecure-local-demo-key-not-for-production"
PRODUCTION_KEY = "x" * 20 + "a-real-long-production-secret-0123456789"
#: What a process started from a clean shell would see: nothing of this test run's settings.
NOT_INHERITED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")


def environment(settings: str, **env) -> dict[str, str]:
    result = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    result["DJANGO_SETTINGS_MODULE"] = settings
    result.update({key: value for key, value in env.items() if value is not None})
    return result


def manage(*arguments, settings="config.settings.base", **env):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment(settings, **env),
        capture_output=True,
        text=True,
    )


def setting_values(*names, settings="config.settings.base", **env):
    """The named settings as the service would see them, or the failed process."""
    code = "import django; django.setup(); from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(settings, **env),
        capture_output=True,
        text=True,
    )


def run_check(**env):
    return manage("check", "--deploy", "--fail-level", "WARNING", **env)


def test_check_deploy_is_clean_with_production_settings():
    result = run_check(DEBUG="0", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="eigenwijs.example")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_the_environment_turns_it_on():
    result = setting_values("DEBUG", SECRET_KEY=PRODUCTION_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def test_without_debug_and_secret_key_the_service_refuses_to_start_and_says_why():
    result = manage("check")
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert "and DEBUG is off, so Eigenwijs does not start. Set SECRET_KEY" in result.stderr


def test_the_wsgi_application_refuses_to_start_without_a_secret_key():
    code = "import config.wsgi"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment("config.settings.base"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_the_public_development_key_is_refused_with_debug_off():
    result = manage("check", DEBUG="0", SECRET_KEY=DEVELOPMENT_KEY)
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: SECRET_KEY is the public development key and DEBUG is off"
        in result.stderr
    )


def test_an_empty_secret_key_counts_as_none():
    result = manage("check", DEBUG="0", SECRET_KEY="  ")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_debug_on_falls_back_to_the_development_key():
    result = setting_values("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [
        "True",
        repr(DEVELOPMENT_KEY),
        repr(["127.0.0.1", "localhost"]),
    ]


def test_the_development_settings_work_from_a_clean_environment():
    """What `make run` loads: DEBUG on, the development key, local hosts, no HTTPS redirect."""
    result = setting_values(
        "DEBUG",
        "SECRET_KEY",
        "SECURE_SSL_REDIRECT",
        "ALLOWED_HOSTS",
        settings="config.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "True",
        repr(DEVELOPMENT_KEY),
        "False",
        repr(["127.0.0.1", "localhost"]),
    ]
    assert manage("check", settings="config.settings.dev").returncode == 0


def test_the_test_settings_set_their_own_key():
    result = setting_values("DEBUG", "SECRET_KEY", settings="config.settings.test")
    assert result.returncode == 0, result.stderr
    debug, key = result.stdout.split("\n")[:2]
    assert debug == "True"
    assert key not in ("''", repr(DEVELOPMENT_KEY))


def test_the_bench_settings_run_without_debug_and_with_their_own_key():
    result = setting_values("DEBUG", "SECRET_KEY", settings="config.settings.bench")
    assert result.returncode == 0, result.stderr
    debug, key = result.stdout.split("\n")[:2]
    assert debug == "False"
    assert key not in ("''", repr(DEVELOPMENT_KEY))


def test_check_deploy_warns_about_a_weak_secret_key():
    """A key of one's own that is short still passes the start, but not the checklist."""
    result = run_check(DEBUG="0", SECRET_KEY="short", ALLOWED_HOSTS="eigenwijs.example")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
