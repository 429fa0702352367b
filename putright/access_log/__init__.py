"""Who opened a resident's needs, safeguarding, contact restrictions and confidential complaints.

`record_access(user, landlord_id, kind, object_label, path)` writes one row (one INSERT) and is what
every page, API operation or export that shows such a record calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from putright.access_log.models import AccessKind as AccessKind
    from putright.access_log.recording import Shown as Shown
    from putright.access_log.recording import record_access as record_access
    from putright.access_log.recording import record_shown as record_shown

__all__ = ["AccessKind", "Shown", "record_access", "record_shown"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the package is imported while the app registry is loading.
    if name in ("record_access", "record_shown", "Shown"):
        from putright.access_log import recording

        return getattr(recording, name)
    if name == "AccessKind":
        from putright.access_log.models import AccessKind

        return AccessKind
    raise AttributeError(name)
