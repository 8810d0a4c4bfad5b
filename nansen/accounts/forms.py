from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from nansen.accounts import services
from nansen.core.forms import Form


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _code_field(*, numeric: bool) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
    if numeric:
        attrs |= {"inputmode": "numeric", "pattern": "[0-9 ]*"}
    return forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=(
            _("The six digits your authenticator app shows now.")
            if numeric
            else _(
                "The six digits your authenticator app shows now, or one of your recovery codes."
            )
        ),
        widget=forms.TextInput(attrs=attrs),
    )


class SecondFactorForm(Form):
    """A code from the authenticator app or a recovery code; ``device`` is the one that
    accepted it."""

    error_messages = {
        "invalid_code": _("This code is not valid. Try the next one."),
        "throttled": _("Too many wrong codes. Wait a minute, then try again."),
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None
        self.fields["code"] = _code_field(numeric=False)

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code:
            if services.second_factor_throttled(self.user):
                raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
            self.device = services.second_factor_verify(user=self.user, code=code)
            if self.device is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_code"], code="invalid_code"
                )
        return cleaned


class AuthenticatorConfirmForm(Form):
    """The first code of a new authenticator, which proves it is set up right. The view
    checks it against the device (``services.totp_device_confirm``)."""

    invalid_code = _("This code is not valid. Check the time on your phone and try the next one.")
    throttled = SecondFactorForm.error_messages["throttled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = _code_field(numeric=True)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(self.invalid_code, code="invalid_code")
        return code


class ReauthenticationForm(SecondFactorForm):
    """Password and second factor again, before a sensitive action."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, user=request.user, **kwargs)
        self.request = request
        self.fields = {
            "password": forms.CharField(
                label=_("Password"),
                strip=False,
                widget=forms.PasswordInput(
                    attrs={"autocomplete": "current-password", "autofocus": True}
                ),
            ),
            "code": self.fields["code"],
        }
        self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean(self):
        password = self.cleaned_data.get("password")
        if password is not None:
            # Through authenticate(), so that failures count towards the lockout.
            user = authenticate(self.request, username=self.user.get_username(), password=password)
            if user is None or user.pk != self.user.pk:
                raise forms.ValidationError(
                    _("The password or the code is not valid."), code="invalid_login"
                )
        return super().clean()


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")


class ResetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")


class ChangePasswordForm(PasswordChangeForm):
    """The current password and the new one twice (OWASP ASVS 5.0 6.2.3). The new one meets
    AUTH_PASSWORD_VALIDATORS, as at a reset."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("This is not your current password."),
    }

    def __init__(self, *args, request, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request.user, *args, **kwargs)
        self.request = request
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        # Through authenticate(), so that wrong guesses count towards the lockout: a session
        # left open must not become a way to try passwords.
        user = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class SessionEndForm(Form):
    """One of the user's other sessions, by its number among ``sessions``."""

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"] = forms.ModelChoiceField(queryset=sessions)
