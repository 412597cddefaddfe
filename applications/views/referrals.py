"""The referrals on a declined application's page, and "Apply here with my answers".

The network sees, for each referral to a programme in Eigenwijs, the button when
``referral_start_refusal`` allows it, else the reason; the fund that declined sees what became
of each referral (``referral_outcomes``). Neither decides anything here.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications.models import Application, Referral
from applications.pages import get_application
from applications.referral_outcomes import Outcome, outcome_of, with_outcome_facts
from applications.services.referral_start import (
    StartRefusal,
    application_start_from_referral,
    referral_start_refusal,
)
from core.exceptions import InvalidTransition
from core.web import error_message


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    #: For the network: ``None`` when it may apply there now (the button), else why not.
    refusal: StartRefusal | None = None
    #: For the fund: what became of the referral.
    outcome: Outcome | None = None

    @property
    def can_apply(self) -> bool:
        return self.referral.programme_id is not None and self.refusal is None


def referral_rows(application: Application, user, *, is_member: bool) -> list[ReferralRow]:
    """The declined application's referrals as its page shows them to this person."""
    referrals = application.referrals.select_related("programme__fund")
    if not is_member:
        referrals = with_outcome_facts(referrals)
    rows = []
    for referral in referrals:
        referral.application = application  # the loaded one, with its network and programme
        if is_member:
            refusal = referral_start_refusal(referral, user) if referral.programme_id else None
            rows.append(ReferralRow(referral, refusal=refusal))
        else:
            rows.append(ReferralRow(referral, outcome=outcome_of(referral)))
    return rows


def _started_message(started) -> str:
    programme = started.application.programme.title
    text = ngettext(
        "Your application to %(programme)s is started, with %(n)s answer from your earlier "
        "application.",
        "Your application to %(programme)s is started, with %(n)s answers from your earlier "
        "application.",
        started.copied,
    ) % {"programme": programme, "n": started.copied}
    if started.left_out:
        text += " " + ngettext(
            "%(n)s answer did not fit a question here: please write it again.",
            "%(n)s answers did not fit a question here: please write them again.",
            started.left_out,
        ) % {"n": started.left_out}
    return f"{text} {_('Check them, and submit the step when you are ready.')}"


@login_required
@require_POST
def referral_apply(request, pk, referral_pk):
    """Start an application where the referral points, with the Idea answers copied."""
    application = get_application(request, pk)
    referral = get_object_or_404(Referral, pk=referral_pk, application=application)
    here = reverse("application_detail", args=[application.pk]) + "#decision-heading"
    try:
        started = application_start_from_referral(referral=referral, actor=request.user)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
        return redirect(here)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(here)
    messages.success(request, _started_message(started))
    new = started.application
    return redirect("step_detail", pk=new.pk, key=new.current_step.key)
