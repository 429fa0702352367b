"""What every front door's pages share: the GOV.UK form kit (`forms`), staff authorisation for
pages (`authorise`) and paging (`paging`).

It sits above the domain apps and below the front doors: the workspace, the portal, and the pages
that live inside a domain app (insight's and correspondence's views) use it; no domain module does.
"""
