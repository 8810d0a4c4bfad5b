from django.urls import path

from nansen.identity import views

app_name = "identity"

urlpatterns = [
    path("identity/check/", views.identity_check, name="identity_check"),
    path("identity/queue/", views.queue, name="identity_queue"),
    path("identity/pairs/<int:pk>/", views.pair_detail, name="identity_pair"),
    path("identity/pairs/<int:pk>/merge/", views.pair_merge, name="identity_pair_merge"),
    path("identity/merges/<int:pk>/undo/", views.merge_undo, name="identity_merge_undo"),
    path("identity/cases/<int:pk>/repeat/", views.repeat_check, name="identity_repeat_check"),
    path(
        "identity/persons/<int:person_pk>/access/<uuid:announcement>/",
        views.access_request_new,
        name="identity_access_request",
    ),
    path("identity/access-requests/", views.access_requests, name="identity_access_requests"),
]
