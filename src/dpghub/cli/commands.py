"""Import every command module so that each registers itself on the ``dpghub`` group."""

from dpghub.cli import (
    exporting,  # noqa: F401
    importing,  # noqa: F401
    registry,  # noqa: F401
    rescreen,  # noqa: F401
    screen,  # noqa: F401
    users,  # noqa: F401
)
