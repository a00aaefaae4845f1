"""The version of the chatwoot_client package."""

__version__ = "1.0.0"
