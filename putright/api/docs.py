"""The API's readable documentation (/api/v1/docs): Swagger UI from Putright's own static files.

django-ninja's Swagger page loads Swagger UI from a CDN unless "ninja" is an installed app, so
without internet it is blank. Here the page is Putright's template, Swagger UI comes from its npm
package (package.json, settings.STATIC_PACKAGE_FILES) and the page asks no other host for anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    template = "api/docs.html"

    def __init__(self) -> None:
        # Swagger UI's online validator would send the document to another host: none, here.
        super().__init__(settings={"validatorUrl": None})

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": swagger})
