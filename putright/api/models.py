"""API tokens, and the remembered results of POSTs sent with an Idempotency-Key."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A secret a program presents to act as one member of staff, with that person's landlord and role.

    Only a SHA-256 hash of the secret is kept: the token is shown once, when it is made. The short
    public prefix finds the row and names the token in lists and logs.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for, e.g. 'CRM sync'")
    prefix = models.CharField(max_length=8, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the secret, in hex")
    created_at = models.DateTimeField()
    # A token stops working at this moment: set when it is made (API_TOKEN_DAYS, or --days), and
    # brought forward when a new token replaces it (putright.api.tokens.rotate).
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="The token this one was made to replace",
    )

    class Meta:
        ordering = ["user", "created_at"]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name or 'unnamed'})"


class IdempotencyKey(models.Model):
    """The first successful answer to a POST sent with an Idempotency-Key, replayed to its retries.

    The row is inserted, the action run and its answer stored in one transaction, so a row that
    can be read always holds an answer; a refused request leaves no row and may be retried.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of the method, the path and the SHA-256 of the body: the same key sent with another
    # request is refused rather than answered with this one's result.
    request_fingerprint = models.CharField(max_length=64)
    # Filled in before the transaction commits (0 and "" only while the first request runs).
    response_status = models.PositiveSmallIntegerField(default=0)
    # The JSON exactly as first sent (text, not jsonb, which would reorder its keys on PostgreSQL).
    response_body = models.TextField(default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_keys_by_age")]

    def __str__(self) -> str:
        return self.key
