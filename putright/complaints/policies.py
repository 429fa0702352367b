"""The policy a complaint follows: the landlord's version in force on the day it was received,
with the Code as its floor (putright/rules/floor.py)."""

from __future__ import annotations

import json
from functools import lru_cache

from putright.complaints.models import Complaint
from putright.rules.floor import effective
from putright.rules.policy import CODE_POLICY, Policy, policy_from_data


@lru_cache(maxsize=256)
def _parse_policy(settings_json: str) -> Policy:
    return policy_from_data(json.loads(settings_json))


@lru_cache(maxsize=256)
def _effective_policy(settings_json: str) -> Policy:
    return effective(_parse_policy(settings_json))


def policy_for(complaint: Complaint) -> Policy:
    """The policy the complaint is worked to: the version in force on the day it was received, each
    number the stricter of the policy's and the Code's (the Code is the floor).

    Parsed policies are cached by their content, so a version re-adopted with new settings is
    never served stale. Lists should `select_related("policy_version")`.
    """
    version = complaint.policy_version
    return _effective_policy(json.dumps(version.settings)) if version else CODE_POLICY


def written_policy_for(complaint: Complaint) -> Policy:
    """The policy as the landlord wrote it, for saying where the Code applies instead
    (`floor.overrides`); never for working out a date."""
    version = complaint.policy_version
    return _parse_policy(json.dumps(version.settings)) if version else CODE_POLICY


def forget_parsed_policies() -> None:
    """Empty the cache of parsed policies (the demo loader starts from what is stored)."""
    _parse_policy.cache_clear()
    _effective_policy.cache_clear()
