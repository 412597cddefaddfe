"""Cross-cutting rules of the web screens: Dutch first, strict CSP, CSRF, secure production cookies."""

from http import HTTPStatus

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.funds.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@override_settings(LANGUAGE_CODE="nl")
def test_home_is_the_catalogue_in_dutch_by_default(client):
    ProgrammeFactory(title="Samen in de buurt")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="nl">' in content
    assert "Samen in de buurt" in content


@override_settings(LANGUAGE_CODE="nl")
def test_language_switch_to_english_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script_src
    assert "default-src 'self'" in policy


def test_templates_have_no_inline_scripts_or_styles():
    from pathlib import Path

    for template in Path("templates").rglob("*.html"):
        text = template.read_text()
        if "email" in template.parts:
            # An e-mail is not served under our CSP, and mail programs ignore style sheets:
            # its styles must be inline. No script: mail programs do not run them.
            assert "<script" not in text, template
            continue
        assert "style=" not in text, template
        for chunk in text.split("<script")[1:]:
            assert "src=" in chunk.split(">")[0], f"inline script in {template}"


def test_forms_need_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(reverse("network_create"), {"name": "X", "legal_status": "none"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_production_cookies_are_secure():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x.example"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.base"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["True", "True", "True"]
