"""Production settings plus the benchmark's data and baselines (bench/README.md).

Only the benchmarks use this module (``bench/load.py``, ``bench/explain.py`` and
``manage.py seed_scale``); it is never deployed. DEBUG stays off, as in production.
"""

import os

# A benchmark database holds generated data only: a fixed key lets its commands run without one.
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-bench-only-not-a-secret")

from .base import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchdata"]  # noqa: F405 - manage.py seed_scale
ROOT_URLCONF = "bench.urls"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# The benchmark measures the application, not the throttle.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"credential": "100000000/min"},
}
