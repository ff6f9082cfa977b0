"""Topical compounds: catalogue and user compound files."""
