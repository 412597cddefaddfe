"""The privacy page, "My data" (readable and as JSON), deleting one's account, a fund's periods.

Everything about a person is shown only to that person, signed in; the pages are never cached.
Deleting takes a POST from the confirmation page, which first says what stays and why.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.web import add_service_errors, error_message
from funds.models import Fund
from privacy import services
from privacy.forms import AccountDeleteForm, FundRetentionForm
from privacy.inventory import INVENTORY
from privacy.policy import LABELS, SIGNATORY_DETAILS, SIGNATURE_EVIDENCE
from privacy.selectors import FIELD_LABELS, personal_data


def _staff_funds(user):
    return Fund.objects.filter(memberships__user=user).order_by("name").distinct()


@require_GET
def privacy_page(request):
    funds = _staff_funds(request.user) if request.user.is_authenticated else Fund.objects.none()
    return render(request, "privacy/privacy.html", {"inventory": INVENTORY, "funds": funds})


def _readable(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "–"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    return value


@never_cache
@login_required
@require_GET
def my_data(request):
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "rows": [
                [
                    (FIELD_LABELS.get(key, key), _readable(value), isinstance(value, dict | list))
                    for key, value in row.items()
                ]
                for row in section.rows
            ],
        }
        for section in personal_data(user=request.user)
    ]
    return render(request, "privacy/my_data.html", {"sections": sections})


@never_cache
@login_required
@require_GET
def my_data_download(request):
    data = {
        "exported_at": timezone.now(),
        **{section.key: section.rows for section in personal_data(user=request.user)},
    }
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="eigenwijs-my-data-{day}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    refusals = services.account_delete_refusals(request.user)
    if request.method == "POST" and not refusals and form.is_valid():
        try:
            services.account_delete(user=request.user, actor=request.user)
        except ValidationError as error:
            refusals = error.messages
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for taking part."))
            return redirect("home")
    return render(request, "privacy/account_delete.html", {"form": form, "refusals": refusals})


@login_required
@require_http_methods(["GET", "POST"])
def fund_retention(request, fund_pk):
    fund = get_object_or_404(_staff_funds(request.user), pk=fund_pk)
    retention = services.retention_for(fund)
    refusal = services.fund_retention_refusal(fund, request.user)
    form = FundRetentionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "signatory_details_months": retention.signatory_details_months,
            "signature_evidence_months": retention.signature_evidence_months,
        },
    )
    if request.method == "POST":
        if refusal is not None:
            raise PermissionDenied(refusal)
        if form.is_valid():
            try:
                services.fund_retention_set(fund=fund, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The retention periods are saved."))
                return redirect("fund_retention", fund_pk=fund.pk)
    return render(
        request,
        "privacy/fund_retention.html",
        {
            "fund": fund,
            "form": form,
            "may_change": refusal is None,
            "retention": retention,
            "labels": LABELS,
            "periods": {"details": SIGNATORY_DETAILS, "evidence": SIGNATURE_EVIDENCE},
        },
    )
