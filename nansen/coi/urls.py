from django.urls import path

from nansen.coi import views

app_name = "coi"

urlpatterns = [
    path("", views.library, name="library"),
    path("sources/new/", views.source_add, name="source_add"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/file/", views.source_file, name="source_file"),
]
