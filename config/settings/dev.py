"""Local development and the demo (`make run`, `make demo`): the production settings with DEBUG on.

DEBUG on gives SQLite, console e-mail, no HTTPS redirect and the public development SECRET_KEY
(see base.py). The environment still wins: DEBUG=0 here behaves as in production.
"""

import os
from urllib.parse import urlsplit

# base.py reads DEBUG while it is imported, so it is set before.
os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402, F403

# Messages go out right after the commit, in the request, so `make run` prints them (sign-in,
# signing and message links) in its terminal without a mail worker running beside it.
TASKS = {
    **TASKS,  # noqa: F405
    "mail": {
        "BACKEND": os.environ.get(
            "MAIL_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["mail"],
    },
}

# The links `make run` prints (sign-in, signing, messages) are built on SITE_URL, which the
# Makefile sets to the address it serves; that host must be let in too (e.g. HOST=0.0.0.0).
_site_host = urlsplit(SITE_URL).hostname  # noqa: F405
if _site_host and _site_host not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:  # noqa: F405
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _site_host]  # noqa: F405

# Every task runs inline here (the ImmediateBackend above), so django-tasks' "RUNNING" and
# "SUCCESSFUL" lines would bury the demo's logins under hundreds of lines; keep its warnings.
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}  # noqa: F405
