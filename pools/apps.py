from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pools"
    verbose_name = _("Support pools")

    def ready(self):
        # Only now: pools.hooks uses the models, which the registry has just loaded.
        from pools import hooks  # noqa: PLC0415 - its modules need the models loaded

        hooks.connect(self)
