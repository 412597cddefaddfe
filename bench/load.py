"""Load benchmark: a production-like server under wrk, each endpoint against two baselines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eigenwijs_bench \\
        .venv/bin/python bench/load.py [--duration 20] [--connections 20]

Needs a database seeded with ``manage.py seed_scale`` and Debian's ``wrk``. It prepares
credentials (a read+write manager key per fund it uses, an officer's session), collects static
files, starts gunicorn with 2 workers and ``DEBUG=0`` on 127.0.0.1, and runs wrk (2 threads,
20 connections) against, in one run:

- the baselines: a constant JSON answer (the framework floor) and bare DRF serialising the same
  50 rows as the list API (``bench/baselines.py``);
- the officer's work queue page; the application list API filtered by fund and ``updated_since``
  (a page of 50); an application's detail with its steps; its comments; ``accept_step``
  transitions (POST), each on another application whose step waits for review;
- the 360Giving export of the fund with the most grants, downloaded one at a time, with the
  workers' peak resident memory before and after.

Figures go to stdout as a Markdown table, with each endpoint's throughput as a ratio to both
baselines, and to ``bench/results/load-c<connections>.json``.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8077
BASE = f"http://127.0.0.1:{PORT}"
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret-bench-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
}


def django_setup() -> None:
    os.environ.update(SERVER_ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(folder: Path, seed: int = 7) -> dict:
    """Credentials and request lists for wrk; returns what the report needs to know."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from applications.models import Application
    from funds.models import Fund, FundMembership
    from integrations.models import Scope
    from integrations.services import fund_key_create

    rng = random.Random(seed)
    keys: dict[int, str] = {}

    def key_for(fund: Fund) -> str:
        if fund.pk not in keys:
            manager = FundMembership.objects.filter(fund=fund, role="manager").first().user
            _key, secret = fund_key_create(
                fund=fund,
                actor=manager,
                name="Load benchmark",
                scope=Scope.READ_WRITE,
                role=FundMembership.Role.MANAGER,
            )
            keys[fund.pk] = f"Bearer {secret}"
        return keys[fund.pk]

    funds = Fund.objects.annotate(
        total=Count("programmes__applications"),
        grants=Count(
            "programmes__applications",
            filter=Q(programmes__applications__awarded_amount__gt=0),
        ),
    )
    list_fund = funds.order_by("-total", "pk").first()
    export_fund = funds.order_by("-grants", "pk").first()
    since = (timezone.now() - datetime.timedelta(days=365)).isoformat().replace("+00:00", "Z")

    officer = (
        FundMembership.objects.filter(fund=list_fund, role="officer").select_related("user").first()
    ).user
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    own = list(
        Application.objects.filter(programme__fund=list_fund).values_list("pk", flat=True)[:2000]
    )
    rng.shuffle(own)
    auth = key_for(list_fund)
    waiting = list(
        Application.objects.filter(state=Application.State.STEP_SUBMITTED)
        .values_list("pk", "programme__fund_id")
        .order_by("pk")
    )
    rng.shuffle(waiting)
    fund_by_id = {f.pk: f for f in Fund.objects.filter(pk__in={f for _, f in waiting})}

    def line(method="GET", path="/", auth="", cookie="", body="") -> str:
        return "\t".join((method, path, auth, cookie, body))

    files = {
        "constant": [line(path="/bench/constant/")],
        "bare_drf": [line(path=f"/bench/bare-drf/?fund={list_fund.slug}")],
        "queue": [line(path=reverse("queue"), cookie=cookie)],
        "list_api": [
            line(
                path=f"/api/v1/applications/?fund={list_fund.slug}&updated_since={since}",
                auth=auth,
            )
        ],
        "detail_api": [line(path=f"/api/v1/applications/{pk}/", auth=auth) for pk in own],
        "comments_api": [
            line(path=f"/api/v1/applications/{pk}/comments/", auth=auth) for pk in own
        ],
        "transition_api": [
            line(
                "POST",
                f"/api/v1/applications/{pk}/transitions/",
                key_for(fund_by_id[fund_id]),
                body='{"name": "accept_step", "note": "Load benchmark"}',
            )
            for pk, fund_id in waiting
        ],
    }
    for name, lines in files.items():
        (folder / f"{name}.tsv").write_text("\n".join(lines) + "\n")
    return {
        "list_fund": list_fund.slug,
        "list_fund_applications": list_fund.total,
        "export_fund": export_fund.slug,
        "export_fund_grants": export_fund.grants,
        "export_auth": key_for(export_fund),
        "transition_candidates": len(waiting),
        "applications": Application.objects.count(),
    }


def start_server(workers: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/bench/constant/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def worker_pids(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    return [int(pid) for pid in out]


def peak_rss_kib(pid: int) -> int:
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1])
    return 0


def run_wrk(name: str, folder: Path, *, duration: int, connections: int, threads: int) -> dict:
    env = {**os.environ, "BENCH_FILE": str(folder / f"{name}.tsv"), "BENCH_THREADS": str(threads)}
    script = str(ROOT / "bench" / "wrk" / "requests.lua")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "-s", script, BASE]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def export_run(info: dict, server: subprocess.Popen, *, times: int = 3) -> dict:
    pids = worker_pids(server)
    before = {pid: peak_rss_kib(pid) for pid in pids}
    seconds, size = [], 0
    for _ in range(times):
        request = urllib.request.Request(
            f"{BASE}/api/v1/exports/360giving.json",
            headers={"Authorization": info["export_auth"]},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            size = sum(len(chunk) for chunk in iter(lambda: response.read(65536), b""))
        seconds.append(time.perf_counter() - started)
    after = {pid: peak_rss_kib(pid) for pid in pids}
    return {
        "grants": info["export_fund_grants"],
        "bytes": size,
        "seconds": seconds,
        "peak_rss_mib_before": round(max(before.values()) / 1024, 1),
        "peak_rss_mib_after": round(max(after.values()) / 1024, 1),
    }


def report(results: dict, export: dict, info: dict, args) -> str:
    floor, bare = results["constant"]["rps"], results["bare_drf"]["rps"]
    rows = [
        "| endpoint | req/s | ÷ constant | ÷ bare DRF | p50 ms | p95 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        rows.append(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / floor:.2f} | {r['rps'] / bare:.2f} "
            f"| {r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} "
            f"| {r['non_2xx']} |"
        )
    rows.append("")
    rows.append(
        f"360Giving export of `{export and info['export_fund']}` ({export['grants']} grants, "
        f"{export['bytes'] / 1e6:.1f} MB): {', '.join(f'{s:.2f} s' for s in export['seconds'])}; "
        f"workers' peak RSS {export['peak_rss_mib_before']} MiB before, "
        f"{export['peak_rss_mib_after']} MiB after."
    )
    rows.append(
        f"{info['applications']} applications; list fund `{info['list_fund']}` has "
        f"{info['list_fund_applications']}; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s; gunicorn {args.workers} sync workers."
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only", nargs="*", help="Run only these endpoints (the baselines always run)."
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")
    django_setup()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        info = prepare(folder)
        server = start_server(args.workers)
        try:
            names = ["constant", "bare_drf", "queue", "list_api", "detail_api", "comments_api"]
            names.append("transition_api")
            if args.only:
                names = [n for n in names if n in ("constant", "bare_drf") or n in args.only]
            results = {}
            for name in names:
                # Warm up (connections, caches); a transition can run only once per
                # application, so its warm-up is a read of the same applications.
                warm_up = "detail_api" if name == "transition_api" else name
                run_wrk(warm_up, folder, duration=3, connections=args.connections, threads=1)
                results[name] = run_wrk(
                    name,
                    folder,
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                )
                print(name, json.dumps(results[name]), flush=True)
            export = export_run(info, server)
        finally:
            server.terminate()
            server.wait(timeout=30)
    info.pop("export_auth")
    table = report(results, export, info, args)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"load-c{args.connections}.json").write_text(
        json.dumps(
            {
                "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "args": vars(args),
                "info": info,
                "results": results,
                "export": export,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
