"""Retention and anonymisation: how long a resident's complaint record is kept under the landlord's schedule,
and anonymising it once it is no longer needed, keeping every measure true (docs/privacy.md).

It sits above complaints, people, correspondence, documents, ombudsman and surveys, whose records it
anonymises, and below the front doors (workspace, api) and the data protection requests that call it."""
