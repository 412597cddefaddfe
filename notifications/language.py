"""A person's language: stored on their account, carried in the session while they are in.

The language switch and the account page store it (``remember``); signing in puts it in the
session (``receivers``), and ``PersonLanguageMiddleware`` then prefers it to the switch's cookie.
"""

from django.conf import settings
from django.utils import translation

from notifications.models import Preference

SESSION_KEY = "notifications.language"

#: Each language in its own name: a person who reads only Arabic must find "العربية".
NATIVE_NAMES = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "ar": "العربية"}


def supported(language: str | None) -> bool:
    return language in {code for code, _name in settings.LANGUAGES}


def native_names() -> list[tuple[str, str]]:
    """The site's languages (settings.LANGUAGES), each named in itself, for switches and forms."""
    return [(code, NATIVE_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES]


def languages(request) -> dict:
    """Context processor: the language switch's choices on every page."""
    return {"language_choices": native_names()}


def remember(request, language: str) -> None:
    """Store the signed-in person's language, and use it for the rest of their session."""
    if not supported(language):
        return
    if request.user.is_authenticated:
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language


class PersonLanguageMiddleware:
    """After the authentication middleware: a signed-in person's stored language wins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        session = getattr(request, "session", None)
        if session is not None and not request.path.startswith("/api/"):
            language = session.get(SESSION_KEY)
        if supported(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if supported(language) and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response
