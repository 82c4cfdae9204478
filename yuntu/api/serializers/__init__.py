"""Serializers check the shape of requests and draw responses; the business rules live in services."""
