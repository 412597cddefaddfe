"""The test suite's settings (pyproject.toml's DJANGO_SETTINGS_MODULE): development defaults,
fast hashing, mail and files in memory."""

import os

# base.py reads DEBUG while it is imported and refuses to start without a key when it is off.
os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402, F403

SECRET_KEY = "tests-only-not-a-secret-tests-only-not-a-secret-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "en"
WHITENOISE_AUTOREFRESH = True  # no collected static folder is needed to run the tests
# Each test process counts throttles in its own memory; tests/api/test_auth.py shows that the
# production setting (base.py: the database cache) is shared between workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Django's test Client.login() calls authenticate() without a request, which django-axes refuses;
# the sign-in limit tests switch axes on (tests/web/test_sign_in_limits.py, test_accounts.py).
AXES_ENABLED = False
# Messages are sent by the mail worker after the commit; in the tests the worker's task runs right
# there (tests/notifications/test_smtp.py runs the real database worker against an SMTP server).
TASKS = {
    **TASKS,  # noqa: F405
    "mail": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["mail"]},
}
