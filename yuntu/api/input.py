"""Reading an API request's input: one serializer check, DRF's 400 on bad input (answered by errors.py)."""


def validated(serializer_class, data, request=None, **context):
    """The serializer's validated data, or a ValidationError; `request` and `context` reach the serializer."""
    if request is not None:
        context = {"request": request, **context}
    serializer = serializer_class(data=data, context=context) if context else serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
