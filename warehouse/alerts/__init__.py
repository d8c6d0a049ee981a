"""Alerts: rules (pure functions from facts to drafts), raising with merging, and the sweep."""
