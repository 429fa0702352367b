"""/staff/mail/: email that came in, and the intake queue of what no complaint claimed."""

from django.urls import path

from putright.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:message_id>/", views.message_page, name="message"),
    path("<int:message_id>/triage/", views.triage, name="triage"),
    path("<int:message_id>/raw/", views.raw, name="raw"),
    path("<int:message_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
