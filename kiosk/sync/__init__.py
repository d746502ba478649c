"""Sync with the city platform: enrollment, signed uploads, bundles, clock drift."""
