from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import people


class IntegrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        # Imported here: the receivers use models, which are loaded only now.
        from integrations.webhooks import receivers  # noqa: PLC0415 - needs the models loaded

        receivers.connect()
        # A fund key counts as the person who created it wherever people are compared (four eyes).
        from integrations.services.credentials import key_people  # noqa: PLC0415 - as above

        people.register("fund_api_keys", key_people)
