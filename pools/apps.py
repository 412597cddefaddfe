from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pools"
    verbose_name = _("Support pools")

    def ready(self):
        from pools.service_types import ensure_default_service_types

        post_migrate.connect(ensure_default_service_types, sender=self)
