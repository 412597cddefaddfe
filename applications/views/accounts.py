"""Signing in: a one-time link by e-mail (for volunteers) or a password, and signing out."""

from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from sesame.views import LoginView as SesameLoginView

from applications import services


class MagicLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link that signs you in. No password needed."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def _safe_next(request, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["magic_form"] = MagicLinkForm(
            initial={"next": _safe_next(self.request, context.get("next", ""))}
        )
        return context


class LogoutView(auth_views.LogoutView):
    """Django's LogoutView answers only POST: a link cannot sign anyone out."""


def magic_link(request):
    form = MagicLinkForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        services.sign_in_link_send(
            email=form.cleaned_data["email"],
            next_url=_safe_next(request, form.cleaned_data["next"]),
        )
        # The same page whether or not the address has an account: no account enumeration.
        return render(
            request,
            "accounts/magic_link_sent.html",
            {"email": form.cleaned_data["email"], "minutes": settings.SESAME_MAX_AGE // 60},
        )
    return render(request, "accounts/magic_link.html", {"form": form})


class MagicLoginView(SesameLoginView):
    """Sesame's link sign-in, with a friendly page instead of a 403 for a used or old link."""

    def get_default_redirect_url(self):
        # Read at request time: sesame reads LOGIN_REDIRECT_URL once, at import.
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def login_failed(self):
        return render(
            self.request,
            "accounts/magic_link_invalid.html",
            {"form": MagicLinkForm()},
            status=HTTPStatus.OK,
        )
