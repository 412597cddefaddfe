from django.contrib import admin

from core.admin import SuperuserOnly
from notifications.models import Notification, Preference, ReminderSent


@admin.register(Notification)
class NotificationAdmin(SuperuserOnly, admin.ModelAdmin):
    """What was sent to whom, and what the mail server said: read-only, for the operator."""

    list_display = ["created_at", "email", "kind", "mail", "attempts", "sent_at", "read_at"]
    list_filter = ["mail", "kind", "required"]
    search_fields = ["email", "subject"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["user", "language", "frequency", "updated_at"]
    list_filter = ["language", "frequency"]


@admin.register(ReminderSent)
class ReminderSentAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["key", "sent_at"]
    search_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
