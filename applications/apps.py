from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.links import register_link_maker


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from applications import (  # noqa: PLC0415 - they need the models loaded
            events,  # noqa: F401 - registers what its events say
            notifications,
        )

        register_link_maker(notifications.INVITATION_LINK, notifications.invitation_link)
        register_link_maker(notifications.HELPER_LINK, notifications.helper_link)
        from applications.reminders import register as register_reminders  # noqa: PLC0415 - models

        register_reminders()  # the daily job's overdue steps and silent drafts
        from applications.queue import register as register_queue_tabs  # noqa: PLC0415 - models

        register_queue_tabs()  # the work queue's tabs about steps and decisions
