"""Scan events: validation, code resolution, interpretation into sightings, and the ingest service."""
