"""Helpers for tests about people: create a person, read the outbox, compute one-time codes, submit forms."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from dpghub.common.mail import outbox_get, outbox_list

PASSWORD = "correct-horse-battery"


def make_person(email="ana@example.org", *, name="Ana Lima", roles=(), password=PASSWORD):
    from dpghub.accounts.services import person_create

    return person_create(actor="system:test", email=email, name=name, roles=roles, password=password)


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (``step`` periods later); waits out the last seconds of a
    period so that the code is still valid when the request arrives."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def mail_links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def last_mail_to(email: str):
    """The newest outbox message to ``email``, read the way `dpghub mail --show` reads it."""
    for message in reversed(outbox_list()):
        if email in message.to:
            return outbox_get(message.id)
    raise AssertionError(f"no mail to {email} in the outbox")


def csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def totp_secret_on(html: str) -> str:
    return re.search(r'<p class="secret">[^<]*<code>([A-Z2-7]+)</code>', html).group(1)
