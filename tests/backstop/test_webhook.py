"""Webhook delivery against a local HTTP server that fails, hangs and recovers: nothing lost,
nothing delivered twice once acknowledged, signatures that verify."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ceasefire.backstop.outbox import Outbox
from ceasefire.backstop.webhook import (
    Deliverer,
    Endpoint,
    WebhookConfig,
    load_webhook_config,
    sign,
    verify_signature,
)
from ceasefire.errors import CeasefireError

SECRET = "s3cret-for-tests"
ENV = {"TEST_WEBHOOK_SECRET": SECRET}


class Receiver:
    """A scripted endpoint: each request takes the next behaviour ('ok' when the script ends):
    'fail' (HTTP 500), 'hang' (no answer before the client gives up, then 503),
    'lost-ack' (accepts, but answers after the client gave up)."""

    def __init__(self, script: list[str], port: int = 0) -> None:
        self.script = list(script)
        self.received: list[str] = []  # idempotency keys of every request
        self.accepted: list[str] = []  # keys of requests the endpoint processed
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers["Idempotency-Key"]
                ok = verify_signature(
                    SECRET,
                    self.headers["X-Ceasefire-Timestamp"],
                    body,
                    self.headers["X-Ceasefire-Signature"],
                )
                with receiver.lock:
                    receiver.received.append(key)
                    behaviour = receiver.script.pop(0) if receiver.script else "ok"
                    if not ok:
                        receiver.bad_signatures += 1
                        behaviour = "fail"
                    if behaviour in ("ok", "lost-ack"):
                        receiver.accepted.append(key)
                if behaviour in ("hang", "lost-ack"):
                    time.sleep(0.6)
                code = {"ok": 200, "fail": 500, "hang": 503, "lost-ack": 200}[behaviour]
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for r in made:
        r.close()


def _config(url: str, **options: object) -> WebhookConfig:
    endpoint = Endpoint.model_validate(
        {"id": "ops", "url": url, "secret_env": "TEST_WEBHOOK_SECRET", "timeout_s": 0.3,
         "max_attempts": 8, "backoff": {"initial_s": 0.01, "factor": 2, "max_s": 0.05}} | options
    )  # fmt: skip
    return WebhookConfig(endpoints=[endpoint])


def _fill(outbox: Outbox, n: int) -> list[str]:
    keys = [f"key-{i:02d}" for i in range(n)]
    for key in keys:
        outbox.enqueue("ops", key, json.dumps({"key": key}).encode())
    return keys


def test_signature_round_trip() -> None:
    body = b'{"a": 1}'
    headers = sign(SECRET, body, timestamp=1_700_000_000)
    assert headers["X-Ceasefire-Signature"].startswith("sha256=")
    ts, sig = headers["X-Ceasefire-Timestamp"], headers["X-Ceasefire-Signature"]
    assert verify_signature(SECRET, ts, body, sig, now=1_700_000_100)
    assert not verify_signature(SECRET, ts, b'{"a": 2}', sig, now=1_700_000_100)
    assert not verify_signature("other", ts, body, sig, now=1_700_000_100)
    assert not verify_signature(SECRET, ts, body, sig, now=1_700_000_000 + 3600)  # replayed late


def test_enqueue_is_idempotent_and_persistent(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    with Outbox(path) as outbox:
        assert outbox.enqueue("ops", "k1", b"{}") is True
        assert outbox.enqueue("ops", "k1", b"{}") is False
    with Outbox(path) as outbox:
        assert outbox.counts() == {"pending": 1}


def test_failures_and_timeouts_then_recovery(
    tmp_path: Path, receiver_factory: list[Receiver]
) -> None:
    receiver = Receiver(["fail", "hang", "fail", "ok", "fail", "hang"])
    receiver_factory.append(receiver)
    with Outbox(tmp_path / "outbox.sqlite") as outbox:
        keys = _fill(outbox, 4)
        stats = Deliverer(outbox, _config(receiver.url), env=ENV).flush(max_seconds=20)
        assert stats.delivered == 4 and outbox.counts() == {"delivered": 4}
        assert sorted(receiver.accepted) == keys  # nothing lost, each accepted once
        assert len(receiver.received) > 4  # the failures were retried
        assert receiver.bad_signatures == 0
        before = len(receiver.received)
        again = Deliverer(outbox, _config(receiver.url), env=ENV).flush(max_seconds=1)
        assert again.delivered == 0 and len(receiver.received) == before  # never re-sent


def test_lost_acknowledgement_is_resent_with_the_same_key(
    tmp_path: Path, receiver_factory: list[Receiver]
) -> None:
    receiver = Receiver(["lost-ack"])
    receiver_factory.append(receiver)
    with Outbox(tmp_path / "outbox.sqlite") as outbox:
        [key] = _fill(outbox, 1)
        Deliverer(outbox, _config(receiver.url), env=ENV).flush(max_seconds=10)
        assert outbox.counts() == {"delivered": 1}
    # the endpoint saw the trigger twice under one idempotency key (with the same body and a
    # fresh signature): it drops the second; once acknowledged, it is never sent again
    assert receiver.received == [key, key]


def test_unreachable_endpoint_keeps_everything_until_it_is_back(
    tmp_path: Path, receiver_factory: list[Receiver]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    path = tmp_path / "outbox.sqlite"
    with Outbox(path) as outbox:
        keys = _fill(outbox, 3)
        stats = Deliverer(outbox, _config(url, max_attempts=3), env=ENV).flush(max_seconds=5)
        assert stats.delivered == 0 and outbox.counts() == {"failed": 3}
        [row] = [r for r in outbox.rows() if r["key"] == keys[0]]
        assert "refused" in row["last_error"].lower() or "connection" in row["last_error"].lower()
        assert outbox.retry_failed() == 3
    receiver = Receiver([], port=port)  # the endpoint comes back
    receiver_factory.append(receiver)
    with Outbox(path) as outbox:  # a new process: the outbox file is all it has
        stats = Deliverer(outbox, _config(url), env=ENV).flush(max_seconds=5)
        assert stats.delivered == 3
    assert sorted(receiver.accepted) == keys


def test_crash_while_sending_is_recovered_after_the_lease(
    tmp_path: Path, receiver_factory: list[Receiver]
) -> None:
    receiver = Receiver([])
    receiver_factory.append(receiver)
    now = [1_000.0]
    path = tmp_path / "outbox.sqlite"
    with Outbox(path, clock=lambda: now[0]) as outbox:
        keys = _fill(outbox, 2)
        [claimed] = outbox.claim(limit=1, lease_s=30)  # a deliverer took one and died
        assert claimed.key == keys[0]
    with Outbox(path, clock=lambda: now[0]) as outbox:
        deliverer = Deliverer(outbox, _config(receiver.url), env=ENV, sleep=lambda s: None)
        deliverer.deliver_due()
        assert receiver.accepted == [keys[1]]  # the leased one waits for its lease
        now[0] += 31
        deliverer.deliver_due()
    assert sorted(receiver.accepted) == keys


def test_two_deliverers_do_not_send_twice(tmp_path: Path, receiver_factory: list[Receiver]) -> None:
    receiver = Receiver(["fail"] * 3)
    receiver_factory.append(receiver)
    path = tmp_path / "outbox.sqlite"
    with Outbox(path) as outbox:
        keys = _fill(outbox, 20)

    def work() -> None:
        with Outbox(path) as mine:
            Deliverer(mine, _config(receiver.url), env=ENV).flush(max_seconds=10)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(receiver.accepted) == keys


def test_missing_secret_is_an_error_not_an_unsigned_post(tmp_path: Path) -> None:
    with Outbox(tmp_path / "outbox.sqlite") as outbox:
        _fill(outbox, 1)
        with pytest.raises(CeasefireError, match="TEST_WEBHOOK_SECRET"):
            Deliverer(outbox, _config("http://127.0.0.1:9/hook"), env={}).flush(max_seconds=1)
        assert outbox.counts() == {"pending": 1}


def test_config_file_with_did_you_mean(tmp_path: Path) -> None:
    good = tmp_path / "webhooks.yaml"
    good.write_text(
        "outbox: outbox.sqlite\nendpoints:\n  - id: ops\n    url: https://example.org/hook\n"
        "    secret_env: OPS_SECRET\n    min_level: 2\n"
    )
    config = load_webhook_config(good)
    assert config.outbox == tmp_path / "outbox.sqlite"
    assert config.endpoints[0].min_level == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "endpoints:\n  - id: ops\n    url: https://example.org/hook\n    secret_envv: X\n"
    )
    with pytest.raises(CeasefireError, match="did you mean 'secret_env'"):
        load_webhook_config(bad)
