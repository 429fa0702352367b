"""/staff/privacy/: mounted by putright.urls with the namespace "privacy"."""

from putright.privacy.pages import urlpatterns

app_name = "privacy"

__all__ = ["app_name", "urlpatterns"]
