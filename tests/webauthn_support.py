"""A software passkey for tests: makes the answers a browser's authenticator would, so that Putright's
passkey pages and django-otp-webauthn's own verification (py_webauthn) run exactly as for a real key.

Registration answers with "none" attestation (no maker's certificate) and an ES256 key; each use signs
the authenticator data and the hash of the client data, counting up as real keys do.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client

UP, UV, AT = 0x01, 0x04, 0x40  # user present, user verified, attested credential data included


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class SoftPasskey:
    origin: str = field(default_factory=lambda: settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0])
    rp_id: str = field(default_factory=lambda: settings.OTP_WEBAUTHN_RP_ID)
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    count: int = 0

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}).encode()

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def attest(self, options: dict[str, Any]) -> dict[str, Any]:
        """What navigator.credentials.create() gives for these registration options."""
        assert options["rp"]["id"] == self.rp_id
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id + self._cose_key()
        auth_data = hashlib.sha256(self.rp_id.encode()).digest() + bytes([UP | UV | AT]) + (0).to_bytes(4, "big")
        auth_data += attested
        client_data = self._client_data("webauthn.create", options["challenge"])
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "cross-platform",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
        }

    def assertion(self, options: dict[str, Any]) -> dict[str, Any]:
        """What navigator.credentials.get() gives for these authentication options."""
        self.count += 1
        auth_data = hashlib.sha256(self.rp_id.encode()).digest() + bytes([UP | UV]) + self.count.to_bytes(4, "big")
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "cross-platform",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
        }

    # The two ceremonies as the library's script runs them, through Putright's passkey pages.

    def register(self, client: Client) -> Any:
        begun = client.post("/staff/passkeys/registration/begin/")
        assert begun.status_code == 200, begun.content
        return client.post(
            "/staff/passkeys/registration/complete/", json.dumps(self.attest(begun.json())), "application/json"
        )

    def sign_in(self, client: Client, next: str = "") -> Any:
        begun = client.post("/staff/passkeys/authentication/begin/")
        if begun.status_code != 200:
            return begun
        url = "/staff/passkeys/authentication/complete/" + (f"?next={next}" if next else "")
        return client.post(url, json.dumps(self.assertion(begun.json())), "application/json")
