"""/staff/privacy/access-log/: who opened sensitive records."""

from django.urls import path

from putright.access_log import views

app_name = "access_log"

urlpatterns = [
    path("", views.log_page, name="log"),
    path("access-log.csv", views.log_csv, name="csv"),
]
