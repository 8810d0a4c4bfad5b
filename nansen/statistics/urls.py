from django.urls import path

from nansen.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("breakdown/", views.breakdown_page, name="statistics_breakdown"),
    path("report/", views.report_page, name="statistics_report"),
    path("export/<str:table>.<str:file_format>", views.export_file, name="statistics_export"),
    path("compare/", views.compare_page, name="statistics_compare"),
    path("world/", views.world_page, name="statistics_world"),
    path("consistency/", views.consistency_page, name="statistics_consistency"),
]
