"""Django-free core: the DPG Standard as data, licence handling, the screening engine, data formats.

Nothing in ``dpghub.core`` may import Django, Celery or any other ``dpghub`` package outside ``core``
(enforced by import-linter, see ``pyproject.toml``).
"""
