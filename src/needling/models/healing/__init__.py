"""Wound healing after needling: injury from the mechanics, a nonlinear healing model, hair follicle cycling."""
