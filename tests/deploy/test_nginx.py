"""deploy/nginx/eigenwijs.conf in front of gunicorn (two sync workers, config/gunicorn.py).

Both run on loopback ports for this module: nginx with the shipped site file (only its ports and
folders swapped for temporary ones), gunicorn with production settings and its own SQLite file.
Four connections that trickle their headers or body a byte at a time must not stop a normal
request behind nginx; straight to gunicorn they do, which is measured and reported, not asserted
(how long depends on gunicorn's timeout, not on us). Every loop is bounded, every socket has a
timeout, and both servers are stopped whatever happens.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from core.clientip import client_ip
from tests.conftest import require_or_skip
from tests.deploy.conftest import FIGURES

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "eigenwijs.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "127.0.0.1"
SLOW_CLIENTS = 4
TRICKLE_EVERY = 0.1  # seconds between two bytes of a slow client
PROXIED_LIMIT = 2.0  # seconds a normal request may take behind nginx with slow clients around
DIRECT_WAIT = 10.0  # how long the contrast waits for gunicorn alone before it gives up


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"port {port} did not open within {seconds} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def site_config(*, port: int, upstream: int, static: Path) -> str:
    """The shipped site file with test ports and folders; each swap must hit exactly once."""
    text = SITE.read_text()
    swaps = [
        ("    listen 80;\n", f"    listen {HOST}:{port};\n"),
        ("    listen [::]:80;\n", ""),
        ("server 127.0.0.1:8000;", f"server {HOST}:{upstream};"),
        ("alias /srv/eigenwijs/staticfiles/;", f"alias {static}/;"),
    ]
    for old, new in swaps:
        assert text.count(old) == 1, f"{SITE.name} no longer has {old!r} once"
        text = text.replace(old, new)
    return text


def main_config(tmp: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around a site, in a private folder."""
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must read the test's folders
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "nginx-error.log"} info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp / "nginx-access.log"};
{temp_paths}
    include {site};
}}
"""


class Stack:
    nginx_port: int
    gunicorn_port: int
    static: Path
    gunicorn_access: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_or_skip(
        Path(NGINX).exists(),
        "needs nginx (apt-get install -y --no-install-recommends nginx)",
    )
    tmp = tmp_path_factory.mktemp("deploy")
    s = Stack()
    s.nginx_port, s.gunicorn_port = free_port(), free_port()
    s.static = tmp / "static"
    (s.static / "css").mkdir(parents=True)
    (s.static / "css" / "site.css").write_text("body { color: green }\n")
    (s.static / "css" / "site.0123456789ab.css").write_text("body { color: green }\n")
    s.gunicorn_access = tmp / "gunicorn-access.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "tests.deploy.server_settings",
        "DEBUG": "0",
        "SECRET_KEY": "deploy-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "STATIC_ROOT": str(s.static),
        "SECURE_SSL_REDIRECT": "0",  # the test's nginx speaks plain HTTP
        "TRUSTED_PROXY_COUNT": "1",
    }
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrated.returncode == 0, migrated.stderr
    site = tmp / "site.conf"
    site.write_text(site_config(port=s.nginx_port, upstream=s.gunicorn_port, static=s.static))
    conf = tmp / "nginx.conf"
    conf.write_text(main_config(tmp, site))
    gunicorn_log, nginx_log = tmp / "gunicorn.log", tmp / "nginx.log"
    gunicorn = nginx = None
    try:
        with gunicorn_log.open("w") as out:
            gunicorn = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"),
                    *("--bind", f"{HOST}:{s.gunicorn_port}"),
                    "--no-control-socket",  # gunicorn 27's, shared in ~/.gunicorn otherwise
                    *("--access-logfile", str(s.gunicorn_access)),
                    # What arrives from nginx: the request line and the two forwarded headers.
                    *(
                        "--access-logformat",
                        "%(r)s|%({x-forwarded-for}i)s|%({x-forwarded-proto}i)s",
                    ),
                    "config.wsgi",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        with nginx_log.open("w") as out:
            nginx = subprocess.Popen(
                [NGINX, "-p", str(tmp), "-e", str(tmp / "nginx-error.log"), "-c", str(conf)]
                + ["-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(s.gunicorn_port, gunicorn, gunicorn_log)
        wait_for_port(s.nginx_port, nginx, nginx_log)
        for _ in range(4):  # both workers have loaded Django before anything is timed
            assert get(s.gunicorn_port, "/", timeout=60)[0] == 200, gunicorn_log.read_text()
        yield s
    finally:
        stop(nginx, signal.SIGQUIT)
        stop(gunicorn)


def get(port: int, path: str, *, timeout: float, headers=None) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def logged_line(log: Path, needle: str, seconds: float = 5) -> str:
    """The access-log line with ``needle``: gunicorn writes it just after the answer is sent."""
    deadline = time.monotonic() + seconds
    while True:
        lines = [line for line in log.read_text().splitlines() if needle in line]
        if lines or time.monotonic() > deadline:
            assert lines, f"{needle} is not in the access log"
            return lines[0]
        time.sleep(0.05)


def assert_never_reached_gunicorn(stack, needle: str) -> None:
    """A later request through nginx is logged first, so an earlier one would show by then."""
    marker = f"after={time.monotonic_ns()}"
    assert get(stack.nginx_port, f"/?{marker}", timeout=10)[0] == 200
    logged_line(stack.gunicorn_access, marker)
    assert needle not in stack.gunicorn_access.read_text()


class SlowClient(threading.Thread):
    """Sends a request's start at once, then one byte every TRICKLE_EVERY seconds, never finishing
    (bounded by ``budget`` bytes), until ``stop`` is set."""

    def __init__(self, port: int, start: bytes, stop: threading.Event, budget: int = 600):
        super().__init__(daemon=True)
        self.port, self.start_bytes, self.stop_event, self.budget = port, start, stop, budget

    def run(self):
        try:
            with socket.create_connection((HOST, self.port), timeout=5) as sock:
                sock.sendall(self.start_bytes)
                for _ in range(self.budget):
                    if self.stop_event.wait(TRICKLE_EVERY):
                        return
                    sock.sendall(b"a")
        except OSError:
            return  # the server gave up on us: that is allowed


def slow_clients(port: int, stop: threading.Event) -> list[SlowClient]:
    """Two that trickle their headers, two that trickle a form's body."""
    headers = f"GET / HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode()
    body = (
        f"POST /accounts/login/ HTTP/1.1\r\nHost: {HOST}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
    ).encode()
    clients = [SlowClient(port, start, stop) for start in (headers, body) * (SLOW_CLIENTS // 2)]
    for client in clients:
        client.start()
    time.sleep(1)  # the server has accepted them and is waiting for more bytes
    return clients


def timed_get(port: int, timeout: float) -> tuple[float, int | None]:
    began = time.monotonic()
    try:
        status = get(port, "/", timeout=timeout)[0]
    except (TimeoutError, OSError):
        status = None
    return time.monotonic() - began, status


def with_slow_clients(port: int, timeout: float) -> tuple[float, int | None]:
    stop_event = threading.Event()
    clients = slow_clients(port, stop_event)
    try:
        return timed_get(port, timeout)
    finally:
        stop_event.set()
        for client in clients:
            client.join(timeout=5)


def test_four_slow_clients_do_not_stop_a_normal_request_behind_nginx(stack):
    proxied, proxied_status = with_slow_clients(stack.nginx_port, DIRECT_WAIT)
    # The contrast, straight to gunicorn's two workers: measured and reported, not asserted.
    direct, direct_status = with_slow_clients(stack.gunicorn_port, DIRECT_WAIT)
    FIGURES.append(
        ("normal request behind nginx, 4 slow clients", f"{proxied:.2f} s (HTTP {proxied_status})")
    )
    FIGURES.append(
        (
            "the same straight to gunicorn (2 sync workers)",
            f"{direct:.2f} s (HTTP {direct_status})"
            if direct_status
            else f"no answer within {DIRECT_WAIT:.0f} s",
        )
    )
    print(*(f"{what}: {figure}" for what, figure in FIGURES[-2:]), sep="\n")
    assert proxied_status == 200
    assert proxied < PROXIED_LIMIT


def test_static_files_come_from_nginx_with_long_caching_for_hashed_names(stack):
    for name in ("site.css", "site.0123456789ab.css"):
        status, body, headers = get(stack.nginx_port, f"/static/css/{name}", timeout=5)
        assert status == 200 and body == b"body { color: green }\n"
        assert headers["Server"].startswith("nginx")
    assert "immutable" in headers["Cache-Control"]  # the hashed name
    assert_never_reached_gunicorn(stack, "/static/")


def test_the_proxy_forwards_the_client_address_and_scheme_and_django_trusts_one_hop(stack):
    spoofed = "203.0.113.66"
    status, _body, _headers = get(
        stack.nginx_port, "/?from=proxy", timeout=10, headers={"X-Forwarded-For": spoofed}
    )
    assert status == 200
    _request, forwarded_for, proto = logged_line(stack.gunicorn_access, "from=proxy").split("|")
    assert forwarded_for == f"{spoofed}, {HOST}" and proto == "http"
    # What Django makes of exactly that header with the deployment's TRUSTED_PROXY_COUNT=1: the
    # address nginx saw, never the one the client wrote.
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR=HOST)
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == HOST


def test_a_body_over_the_limit_is_refused_by_nginx_before_it_is_sent(stack):
    with socket.create_connection((HOST, stack.nginx_port), timeout=5) as sock:
        sock.sendall(
            (
                f"POST /accounts/login/?too=large HTTP/1.1\r\nHost: {HOST}\r\n"
                f"Content-Length: {settings.MAX_REQUEST_BODY_SIZE + 1}\r\n\r\n"
            ).encode()
        )
        answer = sock.recv(200).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413")
    assert_never_reached_gunicorn(stack, "too=large")


def test_the_proxy_body_limit_is_the_django_limit():
    """No nginx needed: the shipped file and the settings say the same number."""
    match = re.search(r"^\s*client_max_body_size (\d+)m;", SITE.read_text(), re.MULTILINE)
    assert match, "client_max_body_size is missing from the site file"
    assert int(match.group(1)) * 1024 * 1024 == settings.MAX_REQUEST_BODY_SIZE
