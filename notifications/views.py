"""The notification list, opening a message, the account's preferences, unsubscribing, and the
page a place link opens."""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from notifications import language, links, personal
from notifications.forms import PreferenceForm
from notifications.selectors import inbox, unread_count
from notifications.services import preference_of

PAGE_SIZE = 30


@login_required
def notification_list(request):
    page = Paginator(inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": unread_count(request.user)},
    )


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(inbox(request.user), pk=pk)
    personal.notification_mark_read(notification=notification, actor=request.user)
    return redirect(notification.path if links.is_local_path(notification.path) else "/")


@login_required
@require_POST
def notification_read_all(request):
    personal.notifications_mark_all_read(actor=request.user)
    return redirect("notification_list")


@login_required
def account(request):
    form = PreferenceForm(
        request.POST or None,
        instance=preference_of(request.user),
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        personal.preference_update(actor=request.user, **form.cleaned_data)
        language.remember(request, form.cleaned_data["language"])
        messages.success(request, _("Your choices are saved."))
        return redirect("account")
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render(request, "notifications/account.html", {"form": form}, status=status)


def set_language(request):
    """Django's language switch, which also stores the choice on a signed-in person's account."""
    response = django_set_language(request)
    if request.method == "POST":
        language.remember(request, request.POST.get("language", ""))
    return response


@method_decorator(csrf_exempt, name="dispatch")  # the token authorises; mail clients POST it
class UnsubscribeView(View):
    def get(self, request, token):
        user = links.user_for_unsubscribe_token(token)
        return render(
            request, "notifications/unsubscribe.html", {"valid": user is not None, "token": token}
        )

    def post(self, request, token):
        user = links.user_for_unsubscribe_token(token)
        if user is None:
            return render(
                request,
                "notifications/unsubscribe.html",
                {"valid": False},
                status=HTTPStatus.BAD_REQUEST,
            )
        personal.unsubscribe(user=user)
        return render(request, "notifications/unsubscribe.html", {"done": True})


@method_decorator([never_cache, sensitive_post_parameters(links.TOKEN_PARAMETER)], name="dispatch")
class PlaceLoginView(View):
    """The page a message's link opens: one tap on *Sign in* leads to the exact place.

    GET never signs anyone in (a mail scanner fetches links); the POST does. Someone already
    signed in as the link's person goes straight on.
    """

    def get(self, request):
        token = request.GET.get(links.TOKEN_PARAMETER, "")
        try:
            user, path, notification_id = links.place_for_token(token)
        except links.PlaceLinkInvalid:
            return self.invalid()
        if request.user.is_authenticated and request.user.pk == user.pk:
            personal.mark_read_by_id(notification_id=notification_id, actor=user)
            return redirect(path)
        return render(
            request, "notifications/place_login.html", {"token": token, "email": user.email}
        )

    def post(self, request):
        try:
            user, path, notification_id = links.place_for_token(
                request.POST.get(links.TOKEN_PARAMETER, "")
            )
        except links.PlaceLinkInvalid:
            return self.invalid()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        personal.mark_read_by_id(notification_id=notification_id, actor=user)
        return redirect(path)

    def invalid(self):
        return render(
            self.request,
            "notifications/place_link_invalid.html",
            {"max_days": links.max_age() // 86400, "site_url": settings.SITE_URL},
        )
