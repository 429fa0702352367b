"""/staff/insight/publish/: mounted by putright.urls beside insight, whose reports it publishes."""

from putright.publications.pages import urlpatterns

app_name = "publications"

__all__ = ["app_name", "urlpatterns"]
