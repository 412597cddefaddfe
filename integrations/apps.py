from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        # Imported here: the receivers use models, which are loaded only now.
        from integrations.webhooks import receivers  # noqa: PLC0415 - needs the models loaded

        receivers.connect()
