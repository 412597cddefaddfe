"""Helpers the agreement views share: loading what the user may see, and refusing a person.

Everything is loaded through ``agreements.selectors``, as the API does: anything outside the
user's scope is a 404, also for a guessed id.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from agreements.models import Agreement, Report, Tranche
from agreements.selectors import agreement_list, report_list, tranche_list
from applications.models import Application
from applications.selectors import application_list


def get_application(request, pk) -> Application:
    # Agreements' pages are never reached through helping (``application_list``).
    return get_object_or_404(application_list(user=request.user, helping=False), pk=pk)


def get_agreement(request, pk) -> Agreement:
    return get_object_or_404(agreement_list(request.user), pk=pk)


def get_tranche(request, agreement: Agreement, pk) -> Tranche:
    tranche = get_object_or_404(tranche_list(request.user).filter(agreement=agreement), pk=pk)
    tranche.agreement = agreement  # the loaded agreement, its application and fund
    return tranche


def get_report(request, pk) -> Report:
    return get_object_or_404(report_list(request.user), pk=pk)


def require(refusal: str | None) -> None:
    """A refusal about this person is a 403 with the reason on the page."""
    if refusal is not None:
        raise PermissionDenied(refusal)
