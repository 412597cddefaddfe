"""The signing page: the exact frozen text, the name typed, one button. No account needed."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agreements import services
from agreements.signing import SigningLinkInvalid, fund_signer_refusal, signatory_for_token
from core.clientip import client_ip
from core.web import add_service_errors


class SignForm(forms.Form):
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    confirm = forms.BooleanField(
        label=_("I have read this agreement and agree to it, also on behalf of my network.")
    )
    seen_sha256 = forms.CharField(widget=forms.HiddenInput)


def sign(request, token):
    try:
        signatory = signatory_for_token(token)
    except SigningLinkInvalid as error:
        return render(request, "agreements/sign_invalid.html", {"reason": error.reason})
    agreement = signatory.agreement
    # The fund's link asks who is signed in: only the manager it names, never who awarded the
    # grant or prepared the agreement (the service checks it again under its lock).
    refusal = fund_signer_refusal(signatory, request.user)
    if refusal is not None:
        return _refused(request, refusal, signatory)
    form = SignForm(request.POST or None, initial={"seen_sha256": agreement.frozen_sha256})
    if signatory.role == signatory.Role.FUND:
        form.fields["confirm"].label = _(
            "I have read this agreement and agree to it on behalf of the fund."
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                token=token,
                typed_name=form.cleaned_data["typed_name"],
                seen_sha256=form.cleaned_data["seen_sha256"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                user=request.user,
            )
        except PermissionDenied as error:
            return _refused(request, str(error), signatory)
        except SigningLinkInvalid as error:
            return render(request, "agreements/sign_invalid.html", {"reason": error.reason})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            agreement.refresh_from_db()
            return render(
                request,
                "agreements/sign_done.html",
                {"agreement": agreement, "signatory": signatory},
            )
    return render(
        request,
        "agreements/sign.html",
        {"form": form, "agreement": agreement, "signatory": signatory},
    )


def _refused(request, reason, signatory):
    return render(
        request,
        "agreements/sign_invalid.html",
        {"reason": reason, "sign_in": not request.user.is_authenticated, "signatory": signatory},
        status=403,
    )
