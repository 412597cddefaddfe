"""The signing page: the exact frozen text, the name typed, one button. No account needed."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agreements import services
from agreements.signing import SigningLinkInvalid, signatory_for_token
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
    form = SignForm(request.POST or None, initial={"seen_sha256": agreement.frozen_sha256})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                token=token,
                typed_name=form.cleaned_data["typed_name"],
                seen_sha256=form.cleaned_data["seen_sha256"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
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
