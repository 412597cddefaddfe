"""Dutch first: the language is the visitor's explicit choice (the switch's cookie) or Dutch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a volunteer on an
English-language phone would land in English; the people we build for asked for Dutch first.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if request.path.startswith("/api/") and not chosen:
            # Programs say which language they want; without Accept-Language it is Dutch too.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
