"""Where models, parameters and protocols meet: one call per kind of result."""

from needling.simulation.session import SessionResult, Technique, quick_session, simulate_session

__all__ = ["SessionResult", "Technique", "quick_session", "simulate_session"]
