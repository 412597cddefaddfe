from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an ``Idempotency-Key``, to replay on a retry."""

    owner = models.CharField(max_length=80)  # the key, token or person (api.auth.credential_label)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # method, path and body of the first request
    status_code = models.PositiveSmallIntegerField(null=True)  # null while the first is running
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key"], name="one_response_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
