"""Reports the worker builds: follow the button's redirect to the job, run the worker's task, download the file."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.test import Client

from putright.insight.jobs import build_report

JOB_PAGE = re.compile(r"/staff/insight/reports/(\d+)/")


def built(client: Client, response: HttpResponse) -> HttpResponse:
    """The file a report URL answers with, once the worker has built it: `response` is the report URL's
    answer to its button's POST (a 303 to the job's page); the task runs here as the worker would run it."""
    assert response.status_code == 303, f"expected a redirect to the report's page, not {response.status_code}"
    found = JOB_PAGE.fullmatch(response["Location"])
    assert found, response["Location"]
    assert build_report.call(int(found[1])) in ("ready", "already built")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Ready" in page.content.decode()
    download = client.get(f"/staff/insight/reports/{found[1]}/download")
    assert download.status_code == 200, download.status_code
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    answer = HttpResponse(content, content_type=download["Content-Type"], status=download.status_code)
    answer["Content-Disposition"] = download["Content-Disposition"]
    return answer
