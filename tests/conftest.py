"""Shared fixtures. Tests use a fresh DPGHUB_DATA_DIR so nothing touches a developer's ./var."""
