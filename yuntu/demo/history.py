"""Helpers for writing demo records with the dates of their invented past."""

from contextlib import contextmanager


@contextmanager
def history_kept(*models):
    """Let bulk_create write the given dates instead of stamping the moment of writing.

    `auto_now` / `auto_now_add` are switched off on these models' date fields for the duration
    (a demo command runs alone; nothing else writes these models in this process meanwhile).
    """
    switched = []
    for model in models:
        for model_field in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(model_field, flag, False):
                    setattr(model_field, flag, False)
                    switched.append((model_field, flag))
    try:
        yield
    finally:
        for model_field, flag in switched:
            setattr(model_field, flag, True)
