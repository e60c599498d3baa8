"""``{% is_following user good=... country=... as following %}``: whether the viewer follows a good or country
(used by ``web/_watch_button.html``, which any page can include)."""

from __future__ import annotations

from typing import Any

from django import template

from dpghub.notifications.watching import is_following as _is_following

register = template.Library()


@register.simple_tag
def is_following(user: Any, good: Any = None, country: str = "") -> bool:
    return _is_following(viewer=user, good=good or None, country=country or "")
