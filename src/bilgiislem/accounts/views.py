"""Login (password, then a code when the person has a device), two-factor, and "İşlerim".

Views only move data between HTTP and the services in ``services.py``.
"""

import base64
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.forms import apply_domain_error
from bilgiislem.organization.models import Person

from . import selectors, services
from .forms import CodeForm, LoginForm, ResetReasonForm

# The password step leaves this in the session; nobody is logged in until the code matches.
PENDING_KEY = "accounts_pending_login"
PENDING_TTL_SECONDS = 5 * 60
PENDING_MAX_TRIES = 5


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Step one: username and password (django-axes counts failures and locks out)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        person = form.get_user()
        device = services.confirmed_device(person)
        if device is None:
            services.session_start(request=self.request, person=person, backend=person.backend)
            return HttpResponseRedirect(self.get_success_url())
        self.request.session[PENDING_KEY] = {
            "person": person.pk,
            "backend": person.backend,
            "next": self.get_success_url(),
            "at": int(time.time()),
            "tries": 0,
        }
        return redirect("accounts:login-code")


class LoginCodeView(FormView):
    """Step two for people with a TOTP device: the six-digit code, then the session starts."""

    template_name = "accounts/login_code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        pending = request.session.get(PENDING_KEY)
        self.person = None
        if pending and time.time() - pending["at"] <= PENDING_TTL_SECONDS:
            self.person = Person.objects.filter(pk=pending["person"], is_active=True).first()
        self.device = services.confirmed_device(self.person) if self.person else None
        if self.device is None:
            request.session.pop(PENDING_KEY, None)
            messages.info(request, _("Please log in again."))
            return redirect("accounts:login")
        self.pending = pending
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.check_code(self.device, form.cleaned_data["code"])
        except DomainError as error:
            self.pending["tries"] += 1
            if self.pending["tries"] >= PENDING_MAX_TRIES:
                self.request.session.pop(PENDING_KEY, None)
                messages.error(self.request, _("Too many wrong codes. Please log in again."))
                return redirect("accounts:login")
            self.request.session[PENDING_KEY] = self.pending
            apply_domain_error(form, error)
            return self.form_invalid(form)
        self.request.session.pop(PENDING_KEY, None)
        services.session_start(
            request=self.request,
            person=self.person,
            backend=self.pending["backend"],
            device=self.device,
        )
        return HttpResponseRedirect(_safe_next(self.request, self.pending.get("next")))


class LogoutView(View):
    """POST only, so that a link or an image cannot log anyone out."""

    http_method_names = ["post"]

    def post(self, request):
        services.session_end(request=request)
        return redirect(settings.LOGOUT_REDIRECT_URL)


class TwoFactorView(LoginRequiredMixin, FormView):
    """Verify an open session with a code, when the person's post requires a second factor."""

    template_name = "accounts/two_factor.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
        if request.user.is_verified():
            return HttpResponseRedirect(self.next_url)
        self.device = services.confirmed_device(request.user)
        if self.device is None:
            url = reverse("accounts:two-factor-setup")
            return HttpResponseRedirect(f"{url}?{urlencode({'next': self.next_url})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url, **kwargs)

    def form_valid(self, form):
        try:
            services.check_code(self.device, form.cleaned_data["code"])
        except DomainError as error:
            apply_domain_error(form, error)
            return self.form_invalid(form)
        services.session_verify(request=self.request, device=self.device)
        return HttpResponseRedirect(self.next_url)


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Enrol an authenticator app: scan the QR code (or type the secret), confirm one code."""

    template_name = "accounts/two_factor_setup.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
        self.confirmed = services.confirmed_device(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            next=self.next_url,
            confirmed=self.confirmed,
            required=services.two_factor_required(self.request.user),
            **kwargs,
        )
        if self.confirmed is None:
            device = services.two_factor_enrol_begin(actor=self.request.user)
            qr = segno.make(device.config_url, error="m")
            context["qr_svg"] = qr.svg_inline(
                scale=5,
                dark="#000",
                light="#fff",
                border=2,
                title=_("QR code for the authenticator app"),
            )
            secret = base64.b32encode(device.bin_key).decode()
            # Groups of four are easier to type into a phone by hand.
            context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context

    def post(self, request, *args, **kwargs):
        if self.confirmed is not None:
            return redirect("accounts:two-factor-setup")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        device = services.two_factor_enrol_begin(actor=self.request.user)
        try:
            services.two_factor_enable(
                actor=self.request.user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
            return self.form_invalid(form)
        # The code just proved the second factor: this session counts as verified.
        services.session_verify(request=self.request, device=device)
        messages.success(self.request, _("Two-factor login is now on."))
        return HttpResponseRedirect(self.next_url)


class TwoFactorRemoveView(LoginRequiredMixin, FormView):
    """Switch two-factor login off (a current code is needed; refused when a post requires it)."""

    template_name = "accounts/two_factor_setup.html"
    form_class = CodeForm
    http_method_names = ["post"]

    def form_valid(self, form):
        try:
            services.two_factor_disable(actor=self.request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            messages.error(self.request, " ".join(m for ms in error.errors.values() for m in ms))
            return redirect("accounts:two-factor-setup")
        messages.success(self.request, _("Two-factor login is now off."))
        return redirect("accounts:two-factor-setup")

    def form_invalid(self, form):
        messages.error(self.request, " ".join(form.errors.get("code", [])))
        return redirect("accounts:two-factor-setup")


class HomeView(LoginRequiredMixin, TemplateView):
    """İşlerim: the person's posts and everything waiting for them, soonest due first."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        return super().get_context_data(
            today=today,
            posts=selectors.posts_for(user),
            groups=selectors.work_groups(user, today),
            work_count=len(selectors.work_items(user)),
            has_device=services.confirmed_device(user) is not None,
            **kwargs,
        )


def _forbidden(request, message: str):
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


class TwoFactorResetView(LoginRequiredMixin, View):
    """A lost phone: the system's Director removes a person's device (GET asks, POST does)."""

    template_name = "accounts/two_factor_reset.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # /hesap/ is outside TwoFactorRequiredMiddleware (it serves the login steps), so this
        # page asks for the actor's own second factor itself when their post requires one.
        if services.two_factor_required(request.user) and not request.user.is_verified():
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two-factor')}?{query}")
        self.person = get_object_or_404(Person, pk=kwargs["pk"])
        if not services.can_reset_two_factor(request.user):
            return _forbidden(request, _("Only the system's Director resets two-factor login."))
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form):
        context = {
            "person": self.person,
            "form": form,
            "has_device": services.confirmed_device(self.person) is not None,
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render(ResetReasonForm())

    def post(self, request, pk):
        form = ResetReasonForm(request.POST)
        if form.is_valid():
            try:
                services.two_factor_reset(
                    actor=request.user, person=self.person, reason=form.cleaned_data["reason"]
                )
            except PermissionDeniedError as error:
                return _forbidden(request, " ".join(m for ms in error.errors.values() for m in ms))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Two-factor login is reset; the person logs in with the password alone."),
                )
                return redirect("organization:person-detail", pk=self.person.pk)
        return self._render(form)
