import uuid

from . import context


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and records the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = context.bind(
            context.RequestContext(
                request_id=request_id, ip_address=request.META.get("REMOTE_ADDR")
            )
        )
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class TurkishFirstLocaleMiddleware:
    """Turkish unless the person chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a clerk whose
    browser happens to be in English would get English pages; the directorate works in Turkish.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
