"""Settings for the gunicorn that tests/deploy/ starts: production (config.settings.base, DEBUG
off, from the environment the test gives it), with plain static file names. whitenoise's
compressed manifest would need a collectstatic of every file first, which takes minutes here;
nginx serves /static/ from a folder either way."""

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
