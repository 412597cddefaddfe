"""Signing in: a one-time link by e-mail (for volunteers) or a password, and signing out.

Password sign-in (here and in the admin) is watched by django-axes: after repeated failures for
one account or from one address it answers ``locked_out`` until the cool-off has passed
(config/settings/base.py, AXES_*). A sign-in link opens a page with a button; only that POST uses
the link (``services.sign_in_link_use``).
"""

from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from applications import services
from applications.services.accounts import NEWCOMER_PARAMETER as TOKEN
from applications.services.accounts import SESAME_PARAMETER as SESAME
from core.clientip import client_ip


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


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers while password sign-in is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "magic_form": MagicLinkForm()},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )


def magic_link(request):
    form = MagicLinkForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        services.sign_in_link_send(
            email=form.cleaned_data["email"],
            client_ip=client_ip(request),
            next_url=_safe_next(request, form.cleaned_data["next"]),
        )
        # The same page whether or not the address has an account, and whether or not it asked
        # too often: nobody learns who has an account, nor who was limited.
        return render(
            request,
            "accounts/magic_link_sent.html",
            {"email": form.cleaned_data["email"], "minutes": settings.SESAME_MAX_AGE // 60},
        )
    return render(request, "accounts/magic_link.html", {"form": form})


@method_decorator([never_cache, sensitive_post_parameters(SESAME, TOKEN)], name="dispatch")
class MagicLoginView(View):
    """The page a sign-in link opens: a button that signs in. Only its POST uses the link.

    Mail scanners and link previews fetch a link with GET; they see the button and leave the
    link unused. The form posts the token in its body, not in the URL, so the POST's request
    line carries no token either.
    """

    def get(self, request):
        tokens = {SESAME: request.GET.get(SESAME, ""), TOKEN: request.GET.get(TOKEN, "")}
        if not services.sign_in_link_check(**tokens):
            return self.failed()
        next_url = _safe_next(request, request.GET.get("next", ""))
        return render(request, "accounts/magic_login.html", {**tokens, "next": next_url})

    def post(self, request):
        user = services.sign_in_link_use(
            sesame=request.POST.get(SESAME, ""), token=request.POST.get(TOKEN, "")
        )
        if user is None:
            return self.failed()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = _safe_next(request, request.POST.get("next", ""))
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))

    def failed(self):
        return render(
            self.request,
            "accounts/magic_link_invalid.html",
            {"form": MagicLinkForm()},
            status=HTTPStatus.OK,
        )
