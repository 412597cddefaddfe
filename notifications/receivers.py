"""On sign-in, the person's stored language (or, the first time, the one they are using)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from notifications.language import SESSION_KEY, supported
from notifications.models import Preference


@receiver(user_logged_in, dispatch_uid="notifications.language_on_sign_in")
def language_on_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    preference = Preference.objects.filter(user=user).first()
    if preference is None:
        # The language the person was using when they signed in (the switch's cookie, or
        # Dutch); a sign-in outside a real request (the test client's force_login) stores none.
        current = getattr(request, "LANGUAGE_CODE", None)
        if not supported(current):
            return
        preference = Preference.objects.create(user=user, language=current)
    request.session[SESSION_KEY] = preference.language
