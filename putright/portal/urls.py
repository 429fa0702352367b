from django.urls import path

from putright.portal import views

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
]
