"""Outgoing e-mail: the embedded "outbox" backend, and reading what it holds (``dpghub mail``).

``DPGHUB_EMAIL_BACKEND=file`` (the default) sends nothing: each message is written as one JSON file in
``<DATA_DIR>/mail/``, readable only by the site's user, so that sign-up and password reset can be tried
without an SMTP server (``dpghub mail`` lists the messages and shows one, links included).
``smtp`` and ``console`` use Django's own backends (see ``docs/configuration.md``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def outbox_dir() -> Path:
    return Path(settings.DPGHUB_MAIL_DIR)


class OutboxBackend(BaseEmailBackend):
    """Writes each message to ``<DATA_DIR>/mail/<id>.json`` (mode 0600) instead of sending it."""

    def send_messages(self, email_messages) -> int:
        directory = outbox_dir()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            now = datetime.now(UTC)
            message_id = f"{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"
            record = {
                "id": message_id,
                "date": now.isoformat(),
                "from": message.from_email,
                "to": list(message.to),
                "cc": list(message.cc),
                "bcc": list(message.bcc),
                "reply_to": list(message.reply_to),
                "subject": str(message.subject),
                "body": str(message.body),
                "alternatives": [{"content": str(content), "mimetype": mimetype}
                                 for content, mimetype in getattr(message, "alternatives", [])],
            }
            path = directory / f"{message_id}.json"
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    json.dump(record, handle, ensure_ascii=False, indent=1)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


@dataclass(frozen=True)
class OutboxMessage:
    id: str
    date: str
    sender: str
    to: list[str]
    subject: str
    body: str

    @classmethod
    def from_record(cls, record: dict) -> OutboxMessage:
        return cls(id=record["id"], date=record["date"], sender=record.get("from", ""),
                   to=list(record.get("to", [])) + list(record.get("cc", [])) + list(record.get("bcc", [])),
                   subject=record.get("subject", ""), body=record.get("body", ""))


def outbox_list(*, last: int | None = None, directory: Path | None = None) -> list[OutboxMessage]:
    """The messages written by :class:`OutboxBackend`, oldest first (only the ``last`` n if given)."""
    directory = directory or outbox_dir()
    if not directory.is_dir():
        return []
    paths = sorted(directory.glob("*.json"))
    if last is not None:
        paths = paths[-last:] if last > 0 else []
    return [OutboxMessage.from_record(json.loads(path.read_text("utf-8"))) for path in paths]


class MessageNotFound(LookupError):
    pass


def outbox_get(message_id: str, *, directory: Path | None = None) -> OutboxMessage:
    """One message by its id, or by a prefix of it that only one message has."""
    directory = directory or outbox_dir()
    wanted = message_id.strip()
    usable = bool(re.fullmatch(r"[0-9A-Za-z-]+", wanted)) and directory.is_dir()
    matches = sorted(directory.glob(f"{wanted}*.json")) if usable else []
    exact = [path for path in matches if path.stem == wanted]
    if exact:
        matches = exact
    if len(matches) != 1:
        raise MessageNotFound(f"no message {message_id!r}" if not matches
                              else f"{len(matches)} messages start with {message_id!r}; give more of the id")
    return OutboxMessage.from_record(json.loads(matches[0].read_text("utf-8")))
