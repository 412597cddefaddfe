"""Reads that several callers share: who sees which applications."""

from django.db.models import Q, QuerySet

from .models import Application


def application_list(*, user) -> QuerySet[Application]:
    """Applications of the user's networks and of the funds the user works for; nothing else."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    visible = Q(network__members__user=user) | Q(programme__fund__memberships__user=user)
    ids = Application.objects.filter(visible).values("pk")
    return Application.objects.filter(pk__in=ids).select_related(
        "network", "programme__fund", "current_step"
    )


def application_get(*, user, pk) -> Application:
    """One visible application; ``Application.DoesNotExist`` for anything else."""
    return application_list(user=user).get(pk=pk)
