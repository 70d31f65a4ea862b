"""Deliver trigger alerts to webhooks: POST JSON signed with HMAC-SHA256, retried with
exponential backoff from the persistent outbox (docs/backstop.md, "Webhooks").

Signature: `X-Ceasefire-Signature: sha256=HEX` where HEX is the HMAC-SHA256, keyed with the
endpoint's secret, of `TIMESTAMP + "." + BODY`; TIMESTAMP is `X-Ceasefire-Timestamp` (Unix
seconds). `Idempotency-Key` is the trigger's key: the same on every retry."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ceasefire.agreement.model import Agreement
from ceasefire.backstop.outbox import Item, Outbox
from ceasefire.backstop.records import TriggerRecord
from ceasefire.errors import CeasefireError, did_you_mean

SIGNATURE_HEADER = "X-Ceasefire-Signature"
TIMESTAMP_HEADER = "X-Ceasefire-Timestamp"
EVENT_TYPE = "ceasefire.backstop.trigger"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Backoff(_Closed):
    """Delay before retry n: initial_s * factor**(n-1), at most max_s (plus up to 10% jitter)."""

    initial_s: float = Field(default=5.0, gt=0)
    factor: float = Field(default=2.0, ge=1)
    max_s: float = Field(default=3600.0, gt=0)

    def delay(self, attempts: int, key: str) -> float:
        """Seconds to wait after the `attempts`-th failed attempt (deterministic jitter)."""
        base = min(self.max_s, self.initial_s * self.factor ** max(0, attempts - 1))
        jitter = int(hashlib.sha256(f"{key}:{attempts}".encode()).hexdigest()[:8], 16) / 2**32
        return base * (1 + 0.1 * jitter)


class Endpoint(_Closed):
    """A webhook: where, the environment variable holding its secret, and which alerts."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    url: str
    secret_env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
    timeout_s: float = Field(default=10.0, gt=0)
    max_attempts: int = Field(default=12, ge=1)
    backoff: Backoff = Backoff()
    min_level: int = Field(default=0, ge=0)
    guarantors: list[str] = []
    commitments: list[str] = []
    escalations_only: bool = False

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        parsed = urllib.parse.urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"'{value}' is not an http(s) URL")
        return value

    def accepts(self, record: TriggerRecord) -> bool:
        """Whether this endpoint wants this trigger."""
        return (
            record.level >= self.min_level
            and (not self.guarantors or record.guarantor in self.guarantors)
            and (not self.commitments or record.commitment in self.commitments)
            and (not self.escalations_only or record.level > record.level_before)
        )


class WebhookConfig(_Closed):
    """Webhook endpoints and the outbox file (never in the agreement)."""

    outbox: Path | None = None
    endpoints: list[Endpoint] = Field(min_length=1)

    def endpoint(self, endpoint_id: str) -> Endpoint | None:
        """The endpoint with this id."""
        return next((e for e in self.endpoints if e.id == endpoint_id), None)


def _allowed(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = WebhookConfig
    for part in loc[:-1]:
        if part == "endpoints":
            model = Endpoint
        elif part == "backoff":
            model = Backoff
    return list(model.model_fields)


def load_webhook_config(path: Path) -> WebhookConfig:
    """Read a webhooks YAML file; problems name the key, with a did-you-mean."""
    from ceasefire.agreement.validation_errors import format_key_path
    from ceasefire.agreement.yaml_source import read_yaml

    doc = read_yaml(path)
    try:
        config = WebhookConfig.model_validate(doc.data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            key = str(loc[-1]) if loc else ""
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = f"unknown key '{key}'" + did_you_mean(key, _allowed(loc))
            line = doc.line_of(loc)
            lines.append(
                f"{path}{f':{line}' if line else ''} at '{format_key_path(loc)}': {message}"
            )
        raise CeasefireError("\n".join(lines)) from None
    if config.outbox is not None and not config.outbox.is_absolute():
        config.outbox = path.parent / config.outbox
    return config


def payload(agreement: Agreement, record: TriggerRecord) -> bytes:
    """The JSON body of an alert (the same bytes on every retry)."""
    body = {
        "type": EVENT_TYPE,
        "idempotency_key": record.key,
        "agreement": {"id": agreement.id, "version": agreement.version, "status": agreement.status},
        "trigger": record.as_dict(),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def enqueue_triggers(
    outbox: Outbox, config: WebhookConfig, agreement: Agreement, records: list[TriggerRecord]
) -> int:
    """Put each trigger in the outbox once per endpoint that wants it; the number added."""
    added = 0
    for record in records:
        body = payload(agreement, record)
        for endpoint in config.endpoints:
            if endpoint.accepts(record):
                added += outbox.enqueue(endpoint.id, record.key, body)
    return added


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The timestamp and signature headers for a body."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode("utf-8"), stamp.encode("ascii") + b"." + body, hashlib.sha256)
    return {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: f"sha256={digest.hexdigest()}"}


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float | None = None,
    tolerance_s: float = 300,
) -> bool:
    """For receivers: the signature matches and the timestamp is within `tolerance_s`."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    expected = sign(secret, body, int(timestamp))[SIGNATURE_HEADER]
    return age <= tolerance_s and hmac.compare_digest(expected, signature)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is a failed delivery, not a silent GET elsewhere


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST; the HTTP status (raises OSError for network failures and timeouts)."""
    host = urllib.parse.urlparse(url).hostname or ""
    proxies = urllib.request.ProxyHandler({} if host in _LOOPBACK else None)
    opener = urllib.request.build_opener(proxies, _NoRedirect)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@dataclass
class DeliveryStats:
    """What a delivery run did."""

    delivered: int = 0
    failed_attempts: int = 0
    gave_up: int = 0
    pending: int = 0

    def add(self, other: DeliveryStats) -> None:
        """Accumulate another run's counts (pending is the latest)."""
        self.delivered += other.delivered
        self.failed_attempts += other.failed_attempts
        self.gave_up += other.gave_up
        self.pending = other.pending


Post = Callable[[str, bytes, dict[str, str], float], int]


class Deliverer:
    """Sends due alerts from an outbox to the configured endpoints."""

    def __init__(
        self,
        outbox: Outbox,
        config: WebhookConfig,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        post: Post = _post,
    ) -> None:
        self.outbox, self.config, self.sleep, self.post = outbox, config, sleep, post
        self.env = os.environ if env is None else env
        self.ids = [e.id for e in config.endpoints]

    def _secrets(self) -> dict[str, str]:
        secrets = {}
        for endpoint in self.config.endpoints:
            secret = self.env.get(endpoint.secret_env)
            if not secret:
                raise CeasefireError(
                    f"webhook '{endpoint.id}': the environment variable {endpoint.secret_env} "
                    "holding its secret is not set; nothing was sent"
                )
            secrets[endpoint.id] = secret
        return secrets

    def _send(self, item: Item, endpoint: Endpoint, secret: str, stats: DeliveryStats) -> None:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "ceasefire-backstop",
            "Idempotency-Key": item.key,
            "X-Ceasefire-Event": EVENT_TYPE,
            **sign(secret, item.payload),
        }
        status: int | None = None
        try:
            status = self.post(endpoint.url, item.payload, headers, endpoint.timeout_s)
            error = f"HTTP {status}"
        except (OSError, ValueError) as exc:  # URLError, timeouts and refusals are OSErrors
            error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
        if status is not None and 200 <= status < 300:
            self.outbox.ack(item, status)
            stats.delivered += 1
            return
        attempts = item.attempts + 1
        if attempts >= endpoint.max_attempts:
            self.outbox.fail(item, error, None, status)
            stats.gave_up += 1
        else:
            retry_at = self.outbox.clock() + endpoint.backoff.delay(attempts, item.key)
            self.outbox.fail(item, error, retry_at, status)
        stats.failed_attempts += 1

    def deliver_due(self) -> DeliveryStats:
        """One pass: send every alert that is due now."""
        secrets = self._secrets()
        stats = DeliveryStats()
        lease = max(e.timeout_s for e in self.config.endpoints) * 2 + 30
        while items := self.outbox.claim(limit=50, lease_s=lease, endpoints=self.ids):
            for item in items:
                endpoint = self.config.endpoint(item.endpoint)
                assert endpoint is not None
                self._send(item, endpoint, secrets[item.endpoint], stats)
        stats.pending = self.outbox.counts().get("pending", 0)
        return stats

    def flush(self, max_seconds: float = 60.0) -> DeliveryStats:
        """Deliver, waiting for retries that fall due, until nothing is pending or time is up."""
        deadline = self.outbox.clock() + max_seconds
        total = DeliveryStats()
        while True:
            total.add(self.deliver_due())
            due = self.outbox.next_due(self.ids)
            now = self.outbox.clock()
            if due is None or due > deadline:
                return total
            self.sleep(max(0.0, min(due, deadline) - now) + 0.001)
