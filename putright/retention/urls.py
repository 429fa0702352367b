"""/staff/privacy/retention/: mounted by putright.urls under the namespace "retention"."""

from putright.retention.pages import urlpatterns

app_name = "retention"

__all__ = ["app_name", "urlpatterns"]
