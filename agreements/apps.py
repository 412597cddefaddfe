from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.links import register_link_maker


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from agreements import events  # noqa: F401, PLC0415 - registers what its events say
        from agreements.notifications import (  # noqa: PLC0415 - needs the models loaded
            SIGNING_LINK,
            signing_link,
        )
        from agreements.panels import register_panels  # noqa: PLC0415 - needs the models loaded
        from agreements.queue import register as register_queue_tabs  # noqa: PLC0415 - models
        from agreements.reminders import register as register_reminders  # noqa: PLC0415 - models
        from agreements.tasks import network_task  # noqa: PLC0415 - needs the models loaded
        from applications.tasks import register as register_task  # noqa: PLC0415 - needs models

        register_panels()
        register_queue_tabs()  # the work queue's tabs about reports and tranches
        register_reminders()  # the daily job's report and signing-link reminders
        register_task(network_task)  # the task list: sign the agreement, then report
        # A signing message stores no token: the mail worker asks for the link when it sends.
        register_link_maker(SIGNING_LINK, signing_link)
