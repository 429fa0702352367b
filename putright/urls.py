from django.contrib import admin
from django.urls import include, path

from putright.api.main import api
from putright.core import views

admin.site.site_header = "Putright configuration"
admin.site.site_title = "Putright"

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("staff/", include("putright.contributions.urls")),
    path("staff/insight/publish/", include("putright.publications.urls")),
    path("staff/insight/", include("putright.insight.urls")),
    path("staff/mail/", include("putright.correspondence.urls")),
    path("staff/privacy/access-log/", include("putright.access_log.urls")),
    path("staff/privacy/retention/", include("putright.retention.urls")),
    path("staff/privacy/", include("putright.privacy.urls")),
    path("staff/passkeys/", include("putright.workspace.passkey_urls")),
    path("staff/", include("putright.workspace.urls")),
    path("api/v1/", api.urls),
    # Last: each landlord's resident portal, at /<landlord-slug>/.
    path("<slug:landlord>/", include("putright.portal.urls")),
]
