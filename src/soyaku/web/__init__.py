"""The read-only web explorer that `soyaku serve` starts beside Bolt (docs/web.md): `site.create_app` builds the
Starlette application, `server` runs it under uvicorn."""
