from django.contrib import admin
from django.urls import path

from putright.core import views

admin.site.site_header = "Putright configuration"
admin.site.site_title = "Putright"

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
