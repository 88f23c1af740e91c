"""SMS backends. `settings.SMS_BACKEND` names the class; every backend has `send(to, text)`.

- ConsoleBackend: prints the message (development, `make run`).
- FileBackend: appends one JSON line per message to `settings.SMS_FILE_PATH` (staging, tests).
- HttpGatewayBackend: POSTs JSON to `settings.SMS_GATEWAY_URL` with a bearer token; any answer
  outside 2xx, or no answer within the timeout, raises `SmsError` so that the delivery task is
  retried by Celery.
"""

from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The message was not accepted; the caller may try again later."""


class BaseBackend:
    def send(self, *, to: str, text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def __init__(self, stream=None) -> None:
        self.stream = stream

    def send(self, *, to: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"[SMS to {to}] {text}\n")
        stream.flush()


class FileBackend(BaseBackend):
    _lock = threading.Lock()

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, *, to: str, text: str) -> None:
        line = json.dumps(
            {"to": to, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


class HttpGatewayBackend(BaseBackend):
    """A provider's HTTP gateway: `POST {"to": ..., "text": ...}` with `Authorization: Bearer`."""

    def __init__(
        self, url: str | None = None, token: str | None = None, timeout: float | None = None
    ) -> None:
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout or getattr(settings, "SMS_GATEWAY_TIMEOUT", 10)
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL is not set")

    def send(self, *, to: str, text: str) -> None:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def get_backend() -> BaseBackend | None:
    """The configured backend, or None when SMS is switched off (SMS_BACKEND empty)."""
    path = getattr(settings, "SMS_BACKEND", "")
    if not path:
        return None
    return import_string(path)()
