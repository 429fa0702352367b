"""/staff/contractors/, a complaint's requests for information and /staff/insight/contractors/:
mounted by putright.urls under the namespace "contributions"."""

from putright.contributions.pages import urlpatterns

app_name = "contributions"

__all__ = ["app_name", "urlpatterns"]
