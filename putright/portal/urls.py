from django.urls import path

from putright.portal import case_views, published_views, survey_views, views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("complain/service-request/", views.service_request, name="service-request"),
    path("complain/check-your-answers/", views.check, name="check"),
    path("complain/sent/", views.confirmation, name="confirmation"),
    path("complain/documents/remove/", views.remove_document, name="remove-document"),
    path("complain/<slug:page>/", views.step, name="step"),
    path("follow/", views.follow, name="follow"),
    path("follow/code/", views.follow_code, name="follow-code"),
    path("follow/sign-out/", views.sign_out, name="sign-out"),
    path("your-complaint/", views.complaint, name="complaint"),
    path("your-complaint/add-information/", views.add_information, name="add-information"),
    path("your-complaint/escalate/", views.escalate, name="escalate"),
    path("your-complaint/withdraw/", views.withdraw, name="withdraw"),
    path("your-complaint/letters/<int:letter_id>/", views.letter, name="letter"),
    path("your-complaint/survey/", survey_views.from_complaint, name="survey-from-complaint"),
    path("survey/", survey_views.survey, name="survey"),
    path("survey/thank-you/", survey_views.thanks, name="survey-thanks"),
    path("survey/<str:token>/", survey_views.survey_link, name="survey-link"),
    path("your-complaint/documents/<int:document_id>/", case_views.document, name="document"),
    path("your-complaint/remedies/<int:remedy_id>/accept/", case_views.accept_remedy, name="accept-remedy"),
    path("your-complaint/remedies/<int:remedy_id>/decline/", case_views.decline_remedy, name="decline-remedy"),
    path("published/", published_views.published, name="published"),
    path("published/complaints-policy/", published_views.policy, name="published-policy"),
    path("published/<slug:kind>/", published_views.edition, name="published-latest"),
    path("published/<slug:kind>/<int:number>/", published_views.edition, name="published-edition"),
    path("published/<slug:kind>/<int:number>/edition.pdf", published_views.edition_pdf, name="published-pdf"),
]
