"""Signing in with two factors, setting them up, re-authenticating, changing or resetting a
password, seeing and ending one's sessions."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts import reauth, selectors, services
from nansen.accounts.forms import (
    AuthenticatorConfirmForm,
    ChangePasswordForm,
    LoginForm,
    ReauthenticationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SecondFactorForm,
    SessionEndForm,
)
from nansen.accounts.models import User
from nansen.accounts.sign_in_limits import sign_in_refusal
from nansen.audit.models import Channel
from nansen.audit.services import audit_record


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _second_factor_given(request, device) -> None:
    otp_login(request, device)
    services.session_rotate(request)
    services.session_authenticated(request)


class SignInView(auth_views.LoginView):
    """The password step. Before any password is checked, a source locked for trying many
    accounts gets the lockout page, and an account being slowed down after failures is told
    when to try again (nansen.accounts.sign_in_limits). django-axes, in authenticate(),
    locks an account from one source."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = lockout_username(request) or ""
        refusal = sign_in_refusal(request, username=username)
        if refusal is None:
            return super().post(request, *args, **kwargs)
        audit_record(
            user=User.objects.filter(username=username).first() if username else None,
            action="sign_in_refused",
            channel=Channel.AUTH,
            request=request,
            username=username,
            details={"reason": refusal.reason, "retry_after": refusal.retry_after},
        )
        if refusal.reason == "source_locked":
            response = lockout(request, source_only=True)
        else:
            form = self.get_form_class()(request, initial={"username": username})
            response = self.render_to_response(
                self.get_context_data(form=form, retry_after=refusal.retry_after)
            )
            response.status_code = 429
        response["Retry-After"] = str(refusal.retry_after)
        return response


login = SignInView.as_view()
logout = auth_views.LogoutView.as_view()


@login_required
def verify(request):
    """Second step of signing in: a code from the authenticator app or a recovery code."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not services.user_has_second_factor(request.user):
        return redirect(_with_next("accounts:mfa_setup", next_url))
    form = SecondFactorForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            _second_factor_given(request, form.device)
            services.second_factor_given(user=request.user)
            audit_record(
                user=request.user,
                action="mfa_verified",
                channel=Channel.AUTH,
                request=request,
                details={"method": form.device._meta.model_name},
            )
            return redirect(next_url)
        audit_record(user=request.user, action="mfa_failed", channel=Channel.AUTH, request=request)
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": next_url, "demo_code": _demo_code(request.user)},
    )


def _demo_code(user) -> str:
    """In a demo installation only, the code the user's demo authenticator shows now, so
    anyone can try Nansen without an authenticator app. Never in production."""
    if settings.NANSEN_ENV != "demo":
        return ""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return ""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


@login_required
def mfa_setup(request):
    """Set up an authenticator app: forced at the first sign-in; later, to replace a phone."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        if not reauth.is_recent(request):
            return reauth.reauthentication_redirect(request)
    elif services.user_has_second_factor(user):
        # Knowing the password is not enough to add an authenticator.
        return redirect(_with_next("accounts:mfa_verify", next_url))
    device = services.totp_device_pending(
        user=user, device_id=request.session.get(services.PENDING_DEVICE)
    )
    request.session[services.PENDING_DEVICE] = device.pk
    form = AuthenticatorConfirmForm(request.POST or None)
    if form.is_valid():
        if services.second_factor_throttled(user):
            form.add_error("code", form.throttled)
        else:
            codes = services.totp_device_confirm(
                user=user, device=device, token=form.cleaned_data["code"], request=request
            )
            if codes is None:
                form.add_error("code", form.invalid_code)
            else:
                device.refresh_from_db()
                _second_factor_given(request, device)
                del request.session[services.PENDING_DEVICE]
                request.session[services.NEW_RECOVERY_CODES] = codes
                return redirect(_with_next("accounts:mfa_recovery_codes", next_url))
    secret = services.totp_secret(device)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "replacing": user.is_verified(),
        },
    )


@login_required
def mfa_setup_qr(request):
    """The QR code of the authenticator being set up, as an SVG image (no inline script)."""
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False, pk=request.session.get(services.PENDING_DEVICE)
    ).first()
    if device is None:
        raise Http404
    svg = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        svg, kind="svg", scale=5, dark="#000", light="#fff", xmldecl=False
    )
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@login_required
def mfa_overview(request):
    return render(
        request,
        "accounts/mfa.html",
        {
            "authenticator": TOTPDevice.objects.filter(user=request.user, confirmed=True).first(),
            "recovery_codes_left": services.recovery_codes_left(request.user),
        },
    )


@login_required
def mfa_recovery_codes(request):
    """New recovery codes, shown once: the page cannot be opened again."""
    codes = request.session.pop(services.NEW_RECOVERY_CODES, None)
    if not codes:
        return redirect("accounts:mfa")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@require_POST
@login_required
@reauth.reauthentication_required
def mfa_recovery_codes_regenerate(request):
    codes = services.recovery_codes_regenerate(user=request.user, request=request)
    request.session[services.NEW_RECOVERY_CODES] = codes
    return redirect(_with_next("accounts:mfa_recovery_codes", reverse("accounts:mfa")))


@login_required
def reauthenticate(request):
    next_url = _next_url(request)
    form = ReauthenticationForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            services.session_rotate(request)
            services.session_authenticated(request)
            audit_record(
                user=request.user, action="reauthenticated", channel=Channel.AUTH, request=request
            )
            return redirect(next_url)
        audit_record(user=request.user, action="mfa_failed", channel=Channel.AUTH, request=request)
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": next_url})


@login_required
def password_change(request):
    """A new password, given the current one; the user's other sessions end."""
    form = ChangePasswordForm(request.POST or None, request=request)
    if form.is_valid():
        services.user_password_change(
            request=request, user=request.user, password=form.cleaned_data["new_password1"]
        )
        messages.success(
            request, _("Your password was changed. Your other sessions, if any, have ended.")
        )
        return redirect("accounts:mfa")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def sessions(request):
    """The user's open sessions, so that they can end one they do not recognise."""
    listed = list(
        selectors.user_session_list(user=request.user, current_key=request.session.session_key)
    )
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": listed, "others": any(not session.is_current for session in listed)},
    )


# OWASP ASVS 5.0 7.5.2: ending sessions asks for the factors again when the last full
# sign-in is not recent.
@require_POST
@login_required
@reauth.reauthentication_required
def session_end(request):
    others = selectors.user_session_list(user=request.user).exclude(
        session_key=request.session.session_key
    )
    form = SessionEndForm(request.POST, sessions=others)
    if not form.is_valid():
        raise Http404  # not one of the user's other open sessions
    services.user_sessions_end(
        user=request.user,
        reason="ended_by_user",
        actor=request.user,
        keep_session_key=request.session.session_key,
        session_ids=[form.cleaned_data["session"].pk],
        request=request,
    )
    messages.success(request, _("The session was ended."))
    return redirect("accounts:sessions")


@require_POST
@login_required
@reauth.reauthentication_required
def sessions_end_others(request):
    services.user_sessions_end(
        user=request.user,
        reason="ended_by_user",
        actor=request.user,
        keep_session_key=request.session.session_key,
        request=request,
    )
    messages.success(request, _("Your other sessions were ended."))
    return redirect("accounts:sessions")


def lockout_username(request, credentials=None) -> str | None:
    """The user name django-axes counts failures for (AXES_USERNAME_CALLABLE): as typed, cut
    to the longest a user name can be, so that an absurd one cannot break the count."""
    username = (credentials or request.POST).get("username")
    return None if username is None else str(username)[:150]


def lockout(request, response=None, credentials=None, *, source_only=False):
    """The lockout page, in the user's language: django-axes' (AXES_LOCKOUT_CALLABLE), for an
    account from this source, or the sign-in view's, for this source whatever the account."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    context = {"minutes": minutes, "source_only": source_only}
    return render(request, "accounts/lockout.html", context, status=429)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The user's own password now, but chosen without the second factor: an
        # administrator's reset of the address it came through still counts (administration).
        if form.user.password_must_change:
            form.user.password_must_change = False
            form.user.save(update_fields=["password_must_change"])
        audit_record(
            user=form.user, action="password_reset", channel=Channel.AUTH, request=self.request
        )
        # The second factor stays: the next sign-in asks for it as always.
        services.user_sessions_end(user=form.user, reason="password_reset", request=self.request)
        return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=ResetRequestForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
