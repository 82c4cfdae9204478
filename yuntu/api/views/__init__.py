"""API views: wiring only. Reads come from selectors, lookups by id from `access`, writes from services."""
