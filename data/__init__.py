"""Curated facts, one folder per source document."""
