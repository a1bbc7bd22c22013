from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class TwoFactorRequiredMiddleware:
    """Send people whose posts require two-factor login to enrol or verify before anything else.

    The position kinds that require it are a setting (BILGIISLEM_2FA_REQUIRED_POSITION_KINDS).
    """

    EXEMPT_PREFIXES = ("/hesap/", "/static/", "/i18n/", "/api/")

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
            from bilgiislem.organization.permissions import effective_posts

            if any(p.kind in required for p in effective_posts(user)):
                return redirect(reverse("accounts:two-factor") + f"?next={request.path}")
        return self.get_response(request)
