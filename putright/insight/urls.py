"""/staff/insight/: mounted by putright.urls with `path("staff/insight/", include("putright.insight.urls"))`."""

from django.urls import path

from putright.insight import job_pages, sector_views, service_area_pages, survey_pages, views
from putright.insight.governance_pages import action_plan, bodies, notices

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("measures.json", views.measures_json, name="measures-json"),
    path("tp09/", views.tp09, name="tp09"),
    path("sector/", sector_views.sector, name="sector"),
    path("annual/", views.annual_index, name="annual-index"),
    path("annual/<int:year>/", views.annual_page, name="annual"),
    path("annual/<int:year>/report.pdf", views.annual_pdf, name="annual-pdf"),
    path("annual/<int:year>/edit/", views.annual_edit, name="annual-edit"),
    path("annual/<int:year>/ombudsman-report/", views.annual_letter, name="annual-letter"),
    path("annual/<int:year>/other-reports/", views.annual_other_report_add, name="annual-other-add"),
    path(
        "annual/<int:year>/other-reports/<int:pk>/remove/", views.annual_other_report_remove, name="annual-other-remove"
    ),
    path("annual/<int:year>/other-reports/<int:pk>/", views.annual_other_report_file, name="annual-other-file"),
    path("annual/<int:year>/response/", views.annual_response, name="annual-response"),
    path("self-assessment/", views.assessments, name="assessments"),
    path("self-assessment/<int:year>/", views.assessment_page, name="assessment"),
    path("self-assessment/<int:year>/self-assessment.xlsx", views.assessment_xlsx, name="assessment-xlsx"),
    path("self-assessment/<int:year>/self-assessment.pdf", views.assessment_pdf, name="assessment-pdf"),
    path("self-assessment/<int:year>/provisions/<str:number>/", views.assessment_entry, name="assessment-entry"),
    path("self-assessment/code-wording/", views.code_wording, name="assessment-wording"),
    path("self-assessment/<int:year>/<int:sequence>/", views.assessment_earlier, name="assessment-earlier"),
    path(
        "self-assessment/<int:year>/<int:sequence>/self-assessment.xlsx",
        views.assessment_earlier_xlsx,
        name="assessment-earlier-xlsx",
    ),
    path(
        "self-assessment/<int:year>/<int:sequence>/self-assessment.pdf",
        views.assessment_earlier_pdf,
        name="assessment-earlier-pdf",
    ),
    path("self-assessment/<int:year>/<str:step>/", views.assessment_step, name="assessment-step"),
    path("learning/", views.learning, name="learning"),
    path("learning/<str:reference>/", views.record_learning, name="record-learning"),
    path("improvements/", views.improvements, name="improvements"),
    path("improvements/new/", views.improvement, name="improvement-new"),
    path("improvements/<int:pk>/", views.improvement, name="improvement"),
    path("you-said-we-did/", views.you_said_we_did, name="you-said-we-did"),
    path("governance/", views.governance, name="governance"),
    path("governance/report.pdf", views.governance_pdf, name="governance-pdf"),
    path("policy/", views.policy_and_code, name="policy"),
    path("policy/versions/<int:pk>/", views.policy_version, name="policy-version"),
    path("policy/versions/<int:pk>/review-date/", views.policy_review_date, name="policy-review-date"),
    path("exports/", views.export_page, name="exports"),
    path("exports/complaints.<str:kind>", views.export_file, name="export"),
]
urlpatterns += service_area_pages.urlpatterns
urlpatterns += survey_pages.urlpatterns
urlpatterns += bodies.urlpatterns + action_plan.urlpatterns + notices.urlpatterns
urlpatterns += job_pages.urlpatterns
