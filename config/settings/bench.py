"""Production settings plus the two baseline endpoints of the load benchmark (bench/README.md).

Only ``bench/load.py`` uses this module; it is never deployed.
"""

from .base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# The benchmark measures the application, not the throttle.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"credential": "100000000/min"},
}
