from django import forms
from django.contrib import admin
from django.db import models

from core.admin import SharedAdmin

from .models import DirectoryEntry


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(SharedAdmin):
    """Shared by every fund in the installation; fund staff edit it on the directory pages."""

    list_display = ["name", "kind", "province", "place", "checked_at"]
    list_filter = ["kind", "province", "themes"]
    search_fields = ["name", "offer", "contact_name"]
    filter_horizontal = ["themes"]
    # People write "www.buurtwerk.nl": read it as https, as the directory's own pages do.
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }
