from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from integrations.models import Scope


class ScopeAllowsWrite(permissions.BasePermission):
    """A read-only key or token may only read; people signed in to the site may do what they may."""

    message = _(
        "This key or token may only read. Ask your fund's manager for a read and write key."
    )

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        scope = getattr(request.auth, "scope", None)
        return scope is None or scope == Scope.READ_WRITE
