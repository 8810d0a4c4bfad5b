from django.urls import path

from nansen.registration import views

app_name = "registration"

urlpatterns = [
    path("cases/", views.case_search, name="case_search"),
    path("cases/register/", views.case_register, name="case_register"),
    path("cases/register/member-form/", views.member_form, name="member_form"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/members/add/", views.case_member_add, name="case_member_add"),
    path(
        "cases/<int:pk>/representatives/add/",
        views.case_representative_add,
        name="case_representative_add",
    ),
    path(
        "cases/<int:pk>/representatives/<int:user_pk>/remove/",
        views.case_representative_remove,
        name="case_representative_remove",
    ),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/sensitive/", views.person_sensitive_edit, name="person_sensitive_edit"),
]
