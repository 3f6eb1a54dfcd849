"""Vendor/app profiles as TOML data + loader, schema, matcher, advisor (Qt-free)."""
