"""Import every command module so that each registers itself on the ``dpghub`` group."""

from dpghub.cli import registry  # noqa: F401
from dpghub.cli import importing  # noqa: F401
from dpghub.cli import exporting  # noqa: F401
from dpghub.cli import screen  # noqa: F401
from dpghub.cli import rescreen  # noqa: F401
