"""Screening rules, protocol rules and plan assembly: pure functions, each rule cited."""
