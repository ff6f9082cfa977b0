"""Skin sites and their layers."""
