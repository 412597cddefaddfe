"""Reads that several callers share: who sees which applications."""

from django.db.models import Q, QuerySet

from funds.models import Programme

from .models import Application, NetworkMember


def application_list(*, user) -> QuerySet[Application]:
    """Applications of the user's networks and of the funds the user works for; nothing else."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    # Two small id lists rather than joins: joining memberships would repeat rows (and need a
    # DISTINCT) and makes the database scan every application at scale; these stay on indexes.
    networks = NetworkMember.objects.filter(user=user).values("network_id")
    programmes = Programme.objects.filter(fund__memberships__user=user).values("pk")
    visible = Q(network_id__in=networks) | Q(programme_id__in=programmes)
    return Application.objects.filter(visible).select_related(
        "network", "programme__fund", "current_step"
    )


def application_get(*, user, pk) -> Application:
    """One visible application; ``Application.DoesNotExist`` for anything else."""
    return application_list(user=user).get(pk=pk)
