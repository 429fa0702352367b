"""The policy a complaint follows: the landlord's version in force on the day it was received."""

from __future__ import annotations

import json
from functools import lru_cache

from putright.complaints.models import Complaint
from putright.rules.policy import CODE_POLICY, Policy, policy_from_data


@lru_cache(maxsize=256)
def _parse_policy(settings_json: str) -> Policy:
    return policy_from_data(json.loads(settings_json))


def policy_for(complaint: Complaint) -> Policy:
    """The policy the complaint follows: the version in force on the day it was received.

    Parsed policies are cached by their content, so a version re-adopted with new settings is
    never served stale. Lists should `select_related("policy_version")`.
    """
    version = complaint.policy_version
    return _parse_policy(json.dumps(version.settings)) if version else CODE_POLICY


def forget_parsed_policies() -> None:
    """Empty the cache of parsed policies (the demo loader starts from what is stored)."""
    _parse_policy.cache_clear()
