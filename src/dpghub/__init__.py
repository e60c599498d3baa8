"""DPG Hub: a registry, screening engine and monitoring framework for digital public goods."""

__version__ = "0.1.0"
