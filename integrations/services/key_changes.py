"""Writing down what is done to a fund's keys, and telling the fund's other managers.

A key that acts as a manager can award grants and change what the fund's back office sees, so
the other managers hear of it when one is created, and of every change of a key's role or
scope: who, when, what, and where to revoke it. The ``FundKeyChange`` row is written in the
service's transaction; the e-mail goes after the commit, so a rolled-back change tells no one.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from funds.models import FundMembership
from integrations.models import FundAPIKey, FundKeyChange, Scope

logger = logging.getLogger("integrations.keys")


def person_name(user) -> str:
    if user is None:
        return _("someone no longer known")
    return user.get_full_name() or user.get_username()


def key_change_log(
    *,
    key: FundAPIKey,
    actor,
    what: str,
    role: str,
    previous_role: str = "",
    previous_scope: str = "",
    needs_approval: bool = False,
) -> FundKeyChange:
    """Write down one thing done to ``key`` (in the caller's transaction) and log it."""
    change = FundKeyChange.objects.create(
        key=key,
        by=actor,
        what=what,
        role=role,
        scope=key.scope,
        previous_role=previous_role,
        previous_scope=previous_scope,
        needs_approval=needs_approval,
    )
    logger.info(
        "fund key %s of fund %s %s by user %s: role %s→%s, scope %s→%s%s",
        key.prefix,
        key.fund_id,
        what,
        getattr(actor, "pk", None),
        previous_role or "-",
        role,
        previous_scope or "-",
        key.scope,
        ", waits for approval" if needs_approval else "",
    )
    return change


def notify_after_commit(change: FundKeyChange) -> None:
    """E-mail the fund's other managers about ``change`` once the transaction has committed."""
    change_id = change.pk

    # A named function, not functools.partial: Django names the callback when it logs a
    # failure of a robust one, and a partial has no name. Robust: the change is committed and
    # shown on the keys page, so a mail server that is down must not turn it into an error.
    def notify_managers_of_key_change() -> None:
        notify_key_change(change_id)

    transaction.on_commit(notify_managers_of_key_change, robust=True)


def other_managers(fund_id: int, *, person_id: int | None) -> list[str]:
    """The e-mail addresses of the fund's managers (people, not keys), except ``person_id``."""
    managers = get_user_model().objects.filter(
        fund_memberships__fund=fund_id,
        fund_memberships__role=FundMembership.Role.MANAGER,
        is_active=True,
        fund_api_key__isnull=True,
    )
    if person_id is not None:
        managers = managers.exclude(pk=person_id)
    return sorted(set(managers.exclude(email="").values_list("email", flat=True)))


def _message(change: FundKeyChange) -> tuple[str, str]:
    key, fund = change.key, change.key.fund
    roles, scopes = dict(FundMembership.Role.choices), dict(Scope.choices)
    values = {
        "who": person_name(change.by),
        "when": formats.date_format(timezone.localtime(change.at), "j F Y H:i"),
        "name": key.name,
        "prefix": key.prefix,
        "fund": fund.name,
        "role": roles.get(change.role, change.role),
        "scope": scopes.get(change.scope, change.scope),
        "previous_role": roles.get(change.previous_role, change.previous_role),
        "previous_scope": scopes.get(change.previous_scope, change.previous_scope),
        "link": settings.SITE_URL + reverse("fund_keys", args=[fund.pk]),
    }
    if change.what == FundKeyChange.What.CREATED:
        subject = _("A new manager key for %(fund)s") % values
        text = _(
            "%(who)s created the API key “%(name)s” (%(prefix)s) for %(fund)s on %(when)s. "
            "It acts as: %(role)s. It may: %(scope)s."
        )
    else:
        subject = _("An API key of %(fund)s was changed") % values
        text = _(
            "%(who)s changed the API key “%(name)s” (%(prefix)s) of %(fund)s on %(when)s. "
            "Before, it acted as: %(previous_role)s, and it could: %(previous_scope)s. "
            "Now it acts as: %(role)s, and it may: %(scope)s."
        )
    parts = [text % values]
    if change.needs_approval:
        parts.append(
            _(
                "The key works only after another manager has approved it. The one who "
                "created or changed it cannot approve it. Approve it, or revoke it, here: "
                "%(link)s"
            )
            % values
        )
    else:
        parts.append(_("If you did not expect this, revoke the key here: %(link)s") % values)
    parts.append(_("You receive this e-mail because you are a manager of %(fund)s.") % values)
    return subject, "\n\n".join(parts)


def notify_key_change(change_id: int) -> None:
    """The e-mail about one change of a key, to each of the fund's other managers."""
    change = FundKeyChange.objects.select_related("key__fund", "by").filter(pk=change_id).first()
    if change is None:
        return
    to = other_managers(change.key.fund_id, person_id=change.by_id)
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _message(change)
    # One message per manager, so nobody sees the others' addresses.
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in to],
        fail_silently=False,
    )
