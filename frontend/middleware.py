from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

LANGUAGE_QUERY_PARAMETER = "lang"


class QueryLanguageLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (cookie, then Accept-Language), plus `?lang=en`
    / `?lang=fr`, which wins over both.

    Crawlers send neither a cookie nor a useful Accept-Language, so without it
    the English interface had no address a search engine could index: the
    `hreflang` alternates of every page point to `?lang=<code>`
    (frontend/templatetags/seo.py). A query parameter rather than i18n_patterns
    keeps every existing URL, link and test as it was. It sets no cookie: the
    visitor's own choice stays with the language switch."""

    def process_request(self, request):
        requested = request.GET.get(LANGUAGE_QUERY_PARAMETER, "")
        if requested in dict(settings.LANGUAGES):
            translation.activate(requested)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)
