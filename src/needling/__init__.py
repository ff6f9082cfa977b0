"""needling: evidence-linked micro-needling: simulator, planner and clinic service."""

__version__ = "0.1.0"
