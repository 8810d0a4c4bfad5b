from django.urls import path

from nansen.operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
