from django.urls import path

from nansen.eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("applications/<int:pk>/assessment/", views.assessment_page, name="assessment"),
    path("applications/<int:pk>/assessment/reasons/", views.reasons_draft, name="reasons"),
    path("assessments/<int:pk>/general/", views.general_save, name="general_save"),
    path("assessments/<int:pk>/parts/<str:part>/", views.part_save, name="part_save"),
    path("assessments/<int:pk>/facts/", views.fact_add, name="fact_add"),
    path("assessments/<int:pk>/citations/", views.citation_add, name="citation_add"),
    path("assessments/<int:pk>/cite-search/", views.cite_search, name="cite_search"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/review/", views.review, name="review"),
    path("assessment-facts/<int:pk>/", views.fact_save, name="fact_save"),
    path("assessment-facts/<int:pk>/remove/", views.fact_remove, name="fact_remove"),
    path("citations/<int:pk>/remove/", views.citation_remove, name="citation_remove"),
    path("eligibility/settings/", views.policy, name="policy"),
]
