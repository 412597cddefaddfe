from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from agreements import events  # noqa: F401, PLC0415 - registers what its events say
        from agreements.panels import register_panels  # noqa: PLC0415 - needs the models loaded

        register_panels()
