"""The read-only web explorer that `soyaku serve` starts beside Bolt (docs/web.md)."""

from soyaku.web.site import create_app

__all__ = ["create_app"]
