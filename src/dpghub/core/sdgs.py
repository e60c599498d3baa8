"""The 17 Sustainable Development Goals: numbers and short names (Django-free).

Names are the UN's short titles. They are marked with ``_`` (an identity function here) so that
``django-admin makemessages`` extracts them; interfaces translate them at display time with gettext.
"""

from __future__ import annotations


def _(text: str) -> str:
    return text


SDG_NAMES: dict[int, str] = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}


def sdg_name(number: int) -> str:
    """The English short name of goal ``number``; raises KeyError outside 1..17."""
    return SDG_NAMES[int(number)]
