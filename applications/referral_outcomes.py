"""What became of a fund's referrals: reads only, for the referring fund.

A referral to a programme in Eigenwijs can be taken up ("Apply here with my answers",
``services.referral_start``); the applications started from it (``Application.referral``) say
what became of it. Contacts outside Eigenwijs have no outcome here: nobody reports back.

Every read takes a fixed number of queries, whatever the number of referrals: a page reads its
referrals through ``with_outcome_facts`` and asks ``outcome_of`` per referral.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery, TextChoices
from django.utils.translation import pgettext_lazy

from funds.models import Programme

from .models import Application, Referral

AWARDED_STATES = frozenset(Application.COMMITTED_STATES)  # awarded, contracted, closed
OPEN_STATES = frozenset(Application.OPEN_STATES)


class Outcome(TextChoices):
    NONE = "none", pgettext_lazy("referral outcome", "Not started")
    STARTED = "started", pgettext_lazy("referral outcome", "Started")
    AWARDED = "awarded", pgettext_lazy("referral outcome", "Awarded")
    DECLINED = "declined", pgettext_lazy("referral outcome", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral outcome", "Withdrawn")


def outcome_from_states(states) -> Outcome:
    """The outcome of a referral from the states of the applications started from it, oldest
    first. An award wins (whatever came before it), then an application still under way; else
    the latest ended one says it (declined, then started again and withdrawn: withdrawn)."""
    states = list(states)
    if not states:
        return Outcome.NONE
    if AWARDED_STATES.intersection(states):
        return Outcome.AWARDED
    if OPEN_STATES.intersection(states):
        return Outcome.STARTED
    if states[-1] == Application.State.DECLINED:
        return Outcome.DECLINED
    return Outcome.WITHDRAWN


def with_outcome_facts(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """``referrals`` with what ``outcome_of`` reads, in the same query (three subqueries): was
    an application started from it awarded, is one still under way, and the state of the
    latest one."""
    started = Application.objects.filter(referral=OuterRef("pk"))
    return referrals.annotate(
        outcome_awarded=Exists(started.filter(state__in=AWARDED_STATES)),
        outcome_open=Exists(started.filter(state__in=OPEN_STATES)),
        outcome_latest=Subquery(started.order_by("-pk").values("state")[:1]),
    )


def outcome_of(referral: Referral) -> Outcome:
    """What became of ``referral``: no query when it was read through ``with_outcome_facts``
    (one otherwise)."""
    if referral.programme_id is None:
        return Outcome.NONE
    if not hasattr(referral, "outcome_latest"):
        states = referral.applications.order_by("pk").values_list("state", flat=True)
        return outcome_from_states(states)
    if referral.outcome_latest is None:
        return Outcome.NONE
    if referral.outcome_awarded:
        return Outcome.AWARDED
    if referral.outcome_open:
        return Outcome.STARTED
    return outcome_from_states([referral.outcome_latest])


@dataclass(frozen=True)
class ReferralCounts:
    """A programme's referrals to programmes in Eigenwijs, and what became of them.

    ``started`` counts every referral the network took up, whatever came of it after; the
    awarded, declined and withdrawn ones are part of it."""

    made: int = 0
    started: int = 0
    awarded: int = 0
    declined: int = 0
    withdrawn: int = 0


def programme_referral_counts(programme: Programme) -> ReferralCounts:
    """The referrals to other programmes made when declining applications to ``programme``, and
    their outcomes: one query (each referral with the states of the applications started from
    it)."""
    rows = (
        Referral.objects.filter(application__programme=programme, programme__isnull=False)
        .values_list("pk", "applications__state")
        .order_by("pk", "applications__pk")
    )
    states: dict[int, list[str]] = {}
    for referral_id, state in rows:
        found = states.setdefault(referral_id, [])
        if state is not None:
            found.append(state)
    outcomes = [outcome_from_states(found) for found in states.values()]
    return ReferralCounts(
        made=len(outcomes),
        started=sum(1 for outcome in outcomes if outcome != Outcome.NONE),
        awarded=outcomes.count(Outcome.AWARDED),
        declined=outcomes.count(Outcome.DECLINED),
        withdrawn=outcomes.count(Outcome.WITHDRAWN),
    )


def attach_outcomes(applications) -> list[Application]:
    """``applications`` (their referrals read through ``with_outcome_facts``) as a list, each
    referral carrying its ``outcome`` for a template: no query beyond reading them."""
    applications = list(applications)
    for application in applications:
        for referral in application.referrals.all():
            referral.outcome = outcome_of(referral)
    return applications
