from django.urls import path

from nansen.accounts import audit_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("verify/", views.verify, name="mfa_verify"),
    path("mfa/", views.mfa_overview, name="mfa"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/setup/qr.svg", views.mfa_setup_qr, name="mfa_setup_qr"),
    path("mfa/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path(
        "mfa/recovery-codes/regenerate/",
        views.mfa_recovery_codes_regenerate,
        name="mfa_recovery_codes_regenerate",
    ),
    path("reauthenticate/", views.reauthenticate, name="reauthenticate"),
    path("password-change/", views.password_change, name="password_change"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/end/", views.session_end, name="session_end"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
]

# The audit log, under /audit/ (included from the root URLconf).
audit_log_urlpatterns = [
    path("", audit_views.audit_log, name="audit_log"),
    path("export.csv", audit_views.audit_log_export, name="audit_log_export"),
]
