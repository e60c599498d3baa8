"""Import every command module so that each registers itself on the ``dpghub`` group."""

from dpghub.cli import (
    backup,  # noqa: F401
    charter,  # noqa: F401  (defines the ``charter`` group; charter_remind adds to it, so import it first)
    charter_remind,  # noqa: F401
    deployments,  # noqa: F401
    exporting,  # noqa: F401
    importing,  # noqa: F401
    migrate,  # noqa: F401
    operations,  # noqa: F401
    people,  # noqa: F401
    registry,  # noqa: F401
    rescreen,  # noqa: F401
    review,  # noqa: F401
    screen,  # noqa: F401
    users,  # noqa: F401
    watch,  # noqa: F401
)
