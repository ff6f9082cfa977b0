"""Rollers, pens and user device files."""
