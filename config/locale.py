"""Dutch first: the language is the visitor's explicit choice (the switch's cookie) or Dutch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a volunteer on an
English-language phone would land in English; the people we build for asked for Dutch first.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from config import languages


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


class FundLanguageMiddleware:
    """The fund's screens stay in the fund's languages (config/languages.py says which they are).

    After the person's own language is chosen (``PersonLanguageMiddleware``): on a fund screen,
    Turkish or Arabic gives way to Dutch. The choice itself is kept for every other page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if translation.get_language() in languages.fund_languages():
            return None
        if languages.fund_screen(request, view_func, view_kwargs):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return None
