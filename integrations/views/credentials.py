"""Web screens for API keys of a fund and personal access tokens, under /integrations/.

Managers of a fund create, change, approve and revoke its keys; its officers see the list and
what was done to the keys (a refusal for them is 403). Anyone else gets a 404, also for a
guessed prefix. Every signed-in person manages their own personal tokens. A secret is shown
once, in the response to the POST that created it, and never stored or shown again. Every write
goes through ``integrations.services``, which also decides who may approve a key.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from applications.permissions import fund_role
from core.web import add_service_errors
from funds.models import Fund, FundMembership
from integrations import services
from integrations.forms import FundKeyChangeForm, FundKeyForm, PersonalTokenForm
from integrations.models import FundAPIKey, FundKeyChange, PersonalAccessToken

#: How many of the latest changes to a fund's keys its keys page shows.
CHANGES_SHOWN = 20


def _staff_funds(user):
    return Fund.objects.filter(memberships__user=user).order_by("name").distinct()


def _fund(request, pk) -> Fund:
    return get_object_or_404(_staff_funds(request.user), pk=pk)


def _is_manager(fund, user) -> bool:
    return fund_role(fund, user) == FundMembership.Role.MANAGER


def _require_manager(fund, user) -> None:
    if not _is_manager(fund, user):
        raise PermissionDenied(_("Only a manager of the fund manages its API keys."))


def _keys(fund, user) -> list[FundAPIKey]:
    """The fund's keys, with the role each acts in (its account's membership) and, for one
    waiting for approval, whether ``user`` asked for it (then another manager approves), in
    one query."""
    role = FundMembership.objects.filter(fund=OuterRef("fund"), user=OuterRef("user")).values(
        "role"
    )[:1]
    asked_by = FundKeyChange.objects.filter(key=OuterRef("pk"), needs_approval=True).values("by")[
        :1
    ]
    keys = list(
        FundAPIKey.objects.filter(fund=fund)
        .select_related("created_by")
        .annotate(role=Subquery(role), asked_by=Subquery(asked_by))
        .order_by("revoked", "-created")
    )
    labels = dict(FundMembership.Role.choices)
    for key in keys:
        key.role_label = labels.get(key.role, "")
        key.asked_by_me = user.pk in (key.created_by_id, key.asked_by)
    return keys


def _changes(fund) -> list[FundKeyChange]:
    """The latest things done to the fund's keys: who, when, what."""
    return list(
        FundKeyChange.objects.filter(key__fund=fund)
        .select_related("key", "by")
        .order_by("-at", "-pk")[:CHANGES_SHOWN]
    )


def _fund_key(request, prefix) -> FundAPIKey:
    """A key of a fund the person works for, else 404 (also for a guessed prefix)."""
    return get_object_or_404(
        FundAPIKey.objects.select_related("fund", "user", "created_by").filter(
            fund__in=_staff_funds(request.user)
        ),
        prefix=prefix,
    )


def _secret_page(request, *, credential, secret, kind: str, back: str):
    """The only time the secret is shown; the page is never cached."""
    return render(
        request,
        "integrations/credentials_secret.html",
        {
            "credential": credential,
            "secret": secret,
            "kind": kind,
            "back": back,
            "example_url": request.build_absolute_uri("/api/v1/funds/"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Fund API keys


@login_required
def credentials_home(request):
    funds = list(_staff_funds(request.user))
    return render(request, "integrations/credentials_home.html", {"funds": funds})


@login_required
def fund_keys(request, fund_pk):
    fund = _fund(request, fund_pk)
    return render(
        request,
        "integrations/credentials_fund_keys.html",
        {
            "fund": fund,
            "keys": _keys(fund, request.user),
            "changes": _changes(fund),
            "is_manager": _is_manager(fund, request.user),
        },
    )


@never_cache
@login_required
def fund_key_create(request, fund_pk):
    fund = _fund(request, fund_pk)
    _require_manager(fund, request.user)
    form = FundKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = services.fund_key_create(
                fund=fund, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(
                request,
                credential=key,
                secret=secret,
                kind="key",
                back=reverse("fund_keys", args=[fund.pk]),
            )
    return render(request, "integrations/credentials_key_form.html", {"fund": fund, "form": form})


@login_required
def fund_key_change(request, prefix):
    """Another role or scope for a key; the fund's other managers are e-mailed about it."""
    key = _fund_key(request, prefix)
    _require_manager(key.fund, request.user)
    back = reverse("fund_keys", args=[key.fund_id])
    if key.revoked:
        messages.info(request, _("This key was already revoked."))
        return redirect(back)
    form = FundKeyChangeForm(
        request.POST or None, initial={"role": services.key_role(key), "scope": key.scope}
    )
    if request.method == "POST" and form.is_valid():
        try:
            key = services.fund_key_change(key=key, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if key.pending_approval:
                messages.success(
                    request,
                    _("The key is changed. It works again once another manager has approved it."),
                )
            else:
                messages.success(request, _("The key is changed."))
            return redirect(back)
    return render(
        request,
        "integrations/credentials_key_change.html",
        {"credential": key, "fund": key.fund, "form": form, "back": back},
    )


@login_required
def fund_key_approve(request, prefix):
    """A second manager approves a manager key; its creator, or an officer, is refused (403)."""
    key = _fund_key(request, prefix)
    back = reverse("fund_keys", args=[key.fund_id])
    refusal = services.manager_refusal(key.fund, request.user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if key.revoked or not key.pending_approval:  # someone else was first, or a stale page
        messages.info(
            request,
            _("This key was already revoked.")
            if key.revoked
            else _("This key does not wait for approval."),
        )
        return redirect(back)
    refusal = services.approve_refusal(key, request.user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if request.method == "POST":
        services.fund_key_approve(key=key, actor=request.user)  # checks again, under its lock
        messages.success(request, _("The key is approved: it works from now on."))
        return redirect(back)
    return render(
        request,
        "integrations/credentials_approve.html",
        {
            "credential": key,
            "fund": key.fund,
            "role_label": dict(FundMembership.Role.choices).get(services.key_role(key), ""),
            "back": back,
        },
    )


@login_required
def fund_key_revoke(request, prefix):
    key = _fund_key(request, prefix)
    _require_manager(key.fund, request.user)
    back = reverse("fund_keys", args=[key.fund_id])
    if key.revoked:
        messages.info(request, _("This key was already revoked."))
        return redirect(back)
    if request.method == "POST":
        services.fund_key_revoke(key=key, actor=request.user)
        messages.success(request, _("The key is revoked: it stopped working at once."))
        return redirect(back)
    return render(
        request,
        "integrations/credentials_revoke.html",
        {"credential": key, "kind": "key", "fund": key.fund, "back": back},
    )


# ---------------------------------------------------------------------------------------------
# Personal access tokens


@login_required
def personal_tokens(request):
    tokens = PersonalAccessToken.objects.filter(user=request.user).order_by("revoked", "-created")
    return render(request, "integrations/credentials_tokens.html", {"tokens": tokens})


@never_cache
@login_required
def personal_token_create(request):
    form = PersonalTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.personal_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(
                request,
                credential=token,
                secret=secret,
                kind="token",
                back=reverse("personal_tokens"),
            )
    return render(request, "integrations/credentials_token_form.html", {"form": form})


@login_required
def personal_token_revoke(request, prefix):
    token = get_object_or_404(PersonalAccessToken, user=request.user, prefix=prefix)
    back = reverse("personal_tokens")
    if token.revoked:
        messages.info(request, _("This token was already revoked."))
        return redirect(back)
    if request.method == "POST":
        services.personal_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token is revoked: it stopped working at once."))
        return redirect(back)
    return render(
        request,
        "integrations/credentials_revoke.html",
        {"credential": token, "kind": "token", "back": back},
    )


urlpatterns = [
    path("", credentials_home, name="credentials_home"),
    path("keys/funds/<int:fund_pk>/", fund_keys, name="fund_keys"),
    path("keys/funds/<int:fund_pk>/new/", fund_key_create, name="fund_key_create"),
    path("keys/<str:prefix>/change/", fund_key_change, name="fund_key_change"),
    path("keys/<str:prefix>/approve/", fund_key_approve, name="fund_key_approve"),
    path("keys/<str:prefix>/revoke/", fund_key_revoke, name="fund_key_revoke"),
    path("tokens/", personal_tokens, name="personal_tokens"),
    path("tokens/new/", personal_token_create, name="personal_token_create"),
    path("tokens/<str:prefix>/revoke/", personal_token_revoke, name="personal_token_revoke"),
]
