"""What the org services tell other modules without importing them (imports point one way)."""

from django.dispatch import Signal

# Sent inside `org_move`'s transaction after every copied path is rewritten: org, old_path, new_path.
subtree_moved = Signal()
