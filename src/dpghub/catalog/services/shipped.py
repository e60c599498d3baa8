"""First start: load the DPGA data shipped with DPG Hub (see importing.shipped_data_load_if_empty)."""

from dpghub.catalog.services.importing import SHIPPED_DATA_DIR, shipped_data_load_if_empty

__all__ = ["SHIPPED_DATA_DIR", "shipped_data_load_if_empty"]
