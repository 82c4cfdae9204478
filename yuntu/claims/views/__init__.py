"""The claims pages: staff management (views.staff) and the member's phone pages (views.portal)."""
