"""Safety and resource limits of one screening (see docs/adr/0006-screening-safety.md).

Soft limits (``max_files``, ``max_depth``, ``max_file_size``, ``max_read_bytes``, ``max_total_read``)
truncate the screening and are reported in ``Report.limits_hit``. Hard limits (clone time and size,
``max_tree_entries``, ``max_checkout_bytes``, ``git_timeout``) stop it with a :class:`LimitExceeded`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_files: int = 50_000  # files considered; the rest are ignored (reported)
    max_depth: int = 48  # directory nesting below the root (reported)
    max_file_size: int = 8 * MiB  # larger files are never read (reported as a count)
    max_read_bytes: int = 512 * 1024  # bytes read from the start of one file
    max_total_read: int = 256 * MiB  # bytes read over the whole screening (reported)
    max_tree_entries: int = 500_000  # hard: more entries in a git tree is treated as a git bomb
    max_checkout_bytes: int = 4096 * MiB  # hard: sum of blob sizes in the tree
    clone_timeout: float = 180.0  # hard: seconds for ``git clone``
    clone_max_bytes: int = 1024 * MiB  # hard: size of the cloned repository on disk
    git_timeout: float = 60.0  # hard: seconds for any other git command
    history_max_commits: int = 20_000  # commits read for the health signals

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class LimitHit:
    """A soft limit that truncated the screening; ``where`` is a path in the tree when it applies."""

    limit: str
    detail: str
    where: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"limit": self.limit, "detail": self.detail, "where": self.where}
