"""Wound healing after needling: a linear cascade from injury to collagen, epidermis and hair."""
