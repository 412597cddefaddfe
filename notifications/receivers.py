"""On sign-in, the person's stored language (or, the first time, the one they are using)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from notifications.language import SESSION_KEY, supported
from notifications.models import Preference


@receiver(user_logged_in, dispatch_uid="notifications.language_on_sign_in")
def language_on_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    current = translation.get_language()
    preference, _created = Preference.objects.get_or_create(
        user=user, defaults={"language": current if supported(current) else "nl"}
    )
    request.session[SESSION_KEY] = preference.language
