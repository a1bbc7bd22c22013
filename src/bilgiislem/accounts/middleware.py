from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class TwoFactorRequiredMiddleware:
    """Send people whose posts require two-factor login to enrol or verify before anything else.

    The position kinds that require it are a setting (BILGIISLEM_2FA_REQUIRED_POSITION_KINDS).
    Token-authenticated API calls never reach here as a logged-in user (DRF authenticates
    later); a browser session calling the API gets a 403 instead of an HTML redirect.
    """

    EXEMPT_PREFIXES = ("/hesap/", "/static/", "/i18n/")
    API_PREFIX = "/api/"
    API_PAGES = ("/api/docs/", "/api/schema/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        required = settings.BILGIISLEM_2FA_REQUIRED_POSITION_KINDS
        user = getattr(request, "user", None)
        if (
            required
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            from .services import two_factor_required

            if two_factor_required(user):
                if request.path.startswith(self.API_PREFIX) and not request.path.startswith(
                    self.API_PAGES
                ):
                    return JsonResponse(
                        {"detail": _("Two-factor verification is required for this session.")},
                        status=403,
                    )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:two-factor')}?{query}")
        return self.get_response(request)
