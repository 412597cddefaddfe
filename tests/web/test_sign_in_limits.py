"""Signing in, from the attacker's side: guessing passwords, flooding and burning sign-in links,
and reading tokens from the logs. Each test is an attack that used to get through."""

import http.client
import io
import logging
import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import connections
from django.db.models import F
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config

from applications.services.accounts import newcomer_link, sign_in_link, sign_in_link_use
from config.gunicorn import MaskingLogger
from config.settings import base
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = HTTPStatus.TOO_MANY_REQUESTS
PASSWORD = "secret-pass-123"  # the factories' password


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.AXES_ENABLED = True  # config/settings/test.py switches it off for Client.login()
    cache.clear()
    yield
    cache.clear()


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def try_password(client: Client, username: str, password: str, url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def cool_off_passes():
    """The clock moves past the cool-off, as far as the recorded failures are concerned."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )


def link_from(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0).removeprefix(settings.SITE_URL)


def ask_link(client: Client, email: str):
    return client.post(reverse("magic_link"), {"email": email})


def query_of(link: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}


def page_fields(page) -> dict:
    return {name: page.context[name] for name in ("sesame", "token") if page.context[name]}


# ---------------------------------------------------------------------------------------------
# Passwords: locked per account and per address, unlocked after the cool-off


def test_thirty_wrong_passwords_then_the_right_one_is_refused_until_the_cool_off_passes():
    UserFactory(username="chris")
    client = from_address("203.0.113.7")
    for _ in range(30):
        try_password(client, "chris", "wrong")
    response = try_password(client, "chris", PASSWORD)
    assert response.status_code == LOCKED
    assert not signed_in(client)
    content = response.content.decode()
    assert "Try again in 15 minutes" in content
    assert "sign in with a link by e-mail" in content
    assert "accounts/locked_out.html" in [t.name for t in response.templates]

    cool_off_passes()
    response = try_password(client, "chris", PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)


def test_the_lock_starts_at_the_limit_and_tries_during_it_do_not_extend_it():
    UserFactory(username="chris")
    client = from_address("203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert try_password(client, "chris", "wrong").status_code == HTTPStatus.OK
    assert try_password(client, "chris", "wrong").status_code == LOCKED
    locked_since = AccessAttempt.objects.get().attempt_time
    for _ in range(5):
        assert try_password(client, "chris", "wrong").status_code == LOCKED
    # The pause still ends 15 minutes after the tenth failure: it always ends.
    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == locked_since
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_one_account_guessed_from_many_addresses_is_locked_for_every_address():
    UserFactory(username="chris")
    for n in range(settings.AXES_FAILURE_LIMIT):
        try_password(from_address(f"198.51.100.{n + 1}"), "chris", "wrong")
    fresh = from_address("192.0.2.200")
    assert try_password(fresh, "chris", PASSWORD).status_code == LOCKED
    assert not signed_in(fresh)


def test_one_address_guessing_many_accounts_is_locked_for_every_account():
    UserFactory(username="dana")
    client = from_address("203.0.113.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        try_password(client, f"someone-{n}", "wrong")
    assert try_password(client, "dana", PASSWORD).status_code == LOCKED
    assert not signed_in(client)
    # Another address is not affected.
    other = from_address("203.0.113.10")
    assert try_password(other, "dana", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lock():
    UserFactory(username="dana")
    for n in range(settings.AXES_FAILURE_LIMIT + 5):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}").post(
            "/accounts/login/", {"username": f"someone-{n}", "password": "wrong"}
        )
    client = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert try_password(client, "dana", PASSWORD).status_code == LOCKED


def test_admin_login_is_locked_out_the_same_way():
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client = from_address("203.0.113.11")
    admin_login = reverse("admin:login")
    for _ in range(30):
        try_password(client, "root", "wrong", url=admin_login)
    response = try_password(client, "root", PASSWORD, url=admin_login)
    assert response.status_code == LOCKED
    assert not signed_in(client)
    # The same lock on the other door: the sign-in page refuses the account too.
    assert try_password(client, "root", PASSWORD).status_code == LOCKED

    cool_off_passes()
    response = try_password(client, "root", PASSWORD, url=admin_login)
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)


def test_a_locked_password_leaves_sign_in_by_link_open():
    UserFactory(username="chris", email="chris@example.org")
    client = from_address("203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_password(client, "chris", "wrong")
    assert try_password(client, "chris", PASSWORD).status_code == LOCKED

    ask_link(client, "chris@example.org")
    page = client.get(link_from(mail.outbox[-1]))
    response = client.post(reverse("magic_login"), page_fields(page))
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)


def test_the_lockout_page_speaks_dutch_first(settings):
    settings.LANGUAGE_CODE = "nl"  # as in production (the tests default to English)
    UserFactory(username="chris")
    client = from_address("203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_password(client, "chris", "wrong")
    response = try_password(client, "chris", PASSWORD)
    assert response.status_code == LOCKED
    assert '<html lang="nl">' in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Sign-in links: a GET neither signs in nor burns the link; the POST does, once


@pytest.mark.parametrize("newcomer", [False, True], ids=["account", "newcomer"])
def test_opening_the_link_neither_signs_in_nor_uses_it_up(client, newcomer):
    if not newcomer:
        UserFactory(email="bram@example.org")
    ask_link(client, "bram@example.org")
    link = link_from(mail.outbox[0])

    # A mail scanner, a link preview, the person opening it twice.
    for _ in range(3):
        page = Client().get(link)
        assert page.status_code == HTTPStatus.OK
        assert "accounts/magic_login.html" in [t.name for t in page.templates]
    page = client.get(link)
    assert not signed_in(client)
    assert get_user_model().objects.filter(email="bram@example.org").count() == (
        0 if newcomer else 1
    )
    # The button posts the token in the body, to a URL without it.
    content = page.content.decode()
    assert f'action="{reverse("magic_login")}"' in content
    assert 'type="submit"' in content

    response = client.post(reverse("magic_login"), page_fields(page))
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)
    assert get_user_model().objects.filter(email="bram@example.org").count() == 1


@pytest.mark.parametrize("newcomer", [False, True], ids=["account", "newcomer"])
def test_a_second_use_of_the_link_is_refused(client, newcomer):
    if not newcomer:
        UserFactory(email="bram@example.org")
    ask_link(client, "bram@example.org")
    fields = page_fields(client.get(link_from(mail.outbox[0])))
    assert client.post(reverse("magic_login"), fields).status_code == HTTPStatus.FOUND

    thief = Client()
    again = thief.post(reverse("magic_login"), fields)
    assert again.status_code == HTTPStatus.OK
    assert "This link has expired or was already used" in again.content.decode()
    assert not signed_in(thief)
    assert "accounts/magic_link_invalid.html" in [
        t.name for t in thief.get(link_from(mail.outbox[0])).templates
    ]
    assert get_user_model().objects.filter(email="bram@example.org").count() == 1


def test_a_newcomer_link_for_an_address_that_got_an_account_meanwhile_is_refused(client):
    ask_link(client, "first@example.org")
    ask_link(client, "first@example.org")
    first, second = (link_from(message) for message in mail.outbox)
    client.post(reverse("magic_login"), page_fields(client.get(first)))
    client.logout()
    assert "accounts/magic_link_invalid.html" in [t.name for t in client.get(second).templates]
    response = client.post(reverse("magic_login"), query_of(second))
    assert "This link has expired or was already used" in response.content.decode()
    assert not signed_in(client)
    assert get_user_model().objects.filter(email="first@example.org").count() == 1


def test_an_expired_newcomer_link_is_refused(client, settings):
    ask_link(client, "late@example.org")
    fields = page_fields(client.get(link_from(mail.outbox[0])))
    settings.SESAME_MAX_AGE = -1
    response = client.post(reverse("magic_login"), fields)
    assert "This link has expired or was already used" in response.content.decode()
    assert not get_user_model().objects.filter(email="late@example.org").exists()


# ---------------------------------------------------------------------------------------------
# Asking for links: nothing is created, and the limits send no more mail behind the same page


def test_a_hundred_requests_for_new_addresses_create_no_account():
    before = get_user_model().objects.count()
    for n in range(100):
        # Every request from its own address, so that no limit hides what asking creates.
        ask_link(from_address(f"198.51.{n // 250}.{n % 250 + 1}"), f"new-{n}@example.org")
    assert len(mail.outbox) == 100
    assert get_user_model().objects.count() == before


def test_one_address_gets_five_links_an_hour_behind_the_same_page():
    UserFactory(email="anna@example.org")
    pages = [
        ask_link(from_address(f"198.51.100.{n + 1}"), "anna@example.org")
        for n in range(settings.SIGN_IN_LINKS_PER_ADDRESS + 3)
    ]
    assert len(mail.outbox) == settings.SIGN_IN_LINKS_PER_ADDRESS == 5
    first, limited = pages[0], pages[-1]
    assert first.status_code == limited.status_code == HTTPStatus.OK
    assert [t.name for t in first.templates] == [t.name for t in limited.templates]
    assert without_csrf(first) == without_csrf(limited)
    # Case and spaces do not make a new address.
    ask_link(from_address("192.0.2.1"), " ANNA@example.org ")
    assert len(mail.outbox) == 5


def test_one_client_address_gets_twenty_links_an_hour_behind_the_same_page():
    client = from_address("203.0.113.50")
    sent = ask_link(client, "person-0@example.org")
    for n in range(1, settings.SIGN_IN_LINKS_PER_CLIENT + 10):
        limited = ask_link(client, f"person-{n}@example.org")
    assert len(mail.outbox) == settings.SIGN_IN_LINKS_PER_CLIENT == 20
    assert [t.name for t in sent.templates] == [t.name for t in limited.templates]
    assert "Check your e-mail" in limited.content.decode()
    # Another client is not affected.
    ask_link(from_address("203.0.113.51"), "person-0@example.org")
    assert len(mail.outbox) == 21


def test_the_limits_hold_no_addresses_in_the_cache():
    ask_link(from_address("203.0.113.50"), "private@example.org")
    keys = list(cache._cache.keys())  # locmem in the tests
    assert keys
    assert not any("private" in key or "203.0.113" in key for key in keys)


def without_csrf(response) -> str:
    return re.sub(r'value="[^"]{20,}"', "", response.content.decode())


def test_the_limits_count_in_the_database_cache_that_production_uses(settings):
    """The production cache, on the test database: the table exists after migrate alone."""
    settings.CACHES = base.CACHES
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.clear()
    client = from_address("203.0.113.60")
    for n in range(settings.SIGN_IN_LINKS_PER_CLIENT + 2):
        ask_link(client, f"person-{n}@example.org")
    assert len(mail.outbox) == settings.SIGN_IN_LINKS_PER_CLIENT


# ---------------------------------------------------------------------------------------------
# Tokens never reach the logs


TOKEN_LINE = "GET /accounts/magic/?sesame=AbCdEf0123456789xyz&next=%2Fmy%2F HTTP/1.1"


def captured(logger_name: str, message: str, *args) -> str:
    """What the configured logger passes to its handlers (its filters have run)."""
    logger = logging.getLogger(logger_name)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        logger.handle(
            logger.makeRecord(logger_name, logging.WARNING, __file__, 1, message, args, None)
        )
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize("logger_name", ["django.server", "django.request"])
def test_django_logs_mask_sign_in_tokens(logger_name):
    output = captured(logger_name, '"%s" %s %s', TOKEN_LINE, 200, 0)
    assert "AbCdEf0123456789xyz" not in output
    assert "sesame=********" in output
    assert "next=%2Fmy%2F" in output
    newcomer = captured(logger_name, "Not Found: %s", "/accounts/magic/?token=.eJw:1u:sig")
    assert "token=********" in newcomer and "eJw" not in newcomer


def test_gunicorns_access_log_masks_tokens_in_the_request_line_and_the_referrer():
    config = Config()
    config.set("accesslog", "-")
    logger = MaskingLogger(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/accounts/magic/?sesame=AbCdEf0123456789xyz",
        "PATH_INFO": "/accounts/magic/",
        "QUERY_STRING": "sesame=AbCdEf0123456789xyz",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": "https://eigenwijs.example/accounts/magic/?token=.eJw:1u:AbCdEf0123456789xyz",
        "HTTP_USER_AGENT": "Mozilla",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    line = config.access_log_format % logger.atoms_wrapper_class(atoms)
    assert "AbCdEf0123456789xyz" not in line
    assert "/accounts/magic/?sesame=********" in line
    assert atoms["q"] == "sesame=********"
    assert "********" in atoms["{referer}i"]


def test_gunicorn_started_with_config_gunicorn_py_logs_no_token(tmp_path):
    """The real thing: gunicorn -c config/gunicorn.py, one request with tokens, its access log."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--no-control-socket"]
    command += ["--bind", "127.0.0.1:0", "--workers", "1", "config.wsgi"]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        port = None
        for _ in range(150):  # at most 15 s
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            if found or server.poll() is not None:
                port = found and int(found.group(1))
                break
            time.sleep(0.1)
        assert port, log.read_text()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        referrer = "http://127.0.0.1/accounts/magic/?token=.eJw:1uAB:SECRETSECRETSECRET2"
        connection.request(
            "GET", "/accounts/magic/?sesame=SECRETSECRET1&next=/my/", headers={"Referer": referrer}
        )
        assert connection.getresponse().status == HTTPStatus.OK
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    written = log.read_text()
    assert "GET /accounts/magic/?sesame=********&next=/my/ HTTP/1.1" in written
    assert "?token=********" in written
    assert "SECRETSECRET" not in written


# ---------------------------------------------------------------------------------------------
# One link used twice at the same moment


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("newcomer", [False, True], ids=["account", "newcomer"])
def test_one_link_used_twice_at_the_same_moment_signs_in_once(require_postgres, newcomer):
    if newcomer:
        fields = query_of(newcomer_link("race@example.org"))
    else:
        fields = query_of(sign_in_link(UserFactory(email="race@example.org")))
    start, results = threading.Barrier(2), []

    def use():
        try:
            start.wait(timeout=10)
            results.append(
                sign_in_link_use(sesame=fields.get("sesame", ""), token=fields.get("token", ""))
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 2
    assert sum(user is not None for user in results) == 1
    assert get_user_model().objects.filter(email="race@example.org").count() == 1
