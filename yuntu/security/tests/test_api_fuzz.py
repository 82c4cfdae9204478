"""API fuzzing: schemathesis generates requests from the OpenAPI schema (/api/schema/) for every operation.

Bounded (a few examples per operation, derandomised, so CI time is steady and a failure replays):
no answer is a 5xx, and every 4xx is the documented JSON error shape {code, message[, fields]}.
Requests go in process through Django's WSGI handler, as a staff user with a wide scope, inside the
test's transaction (so whatever the fuzzer writes is rolled back).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token

from config.wsgi import application

EXAMPLES_PER_OPERATION = 6


@pytest.fixture
def api_schema(cast):
    # As Django's test client does: the in-process request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)


def documented_error_shape(ctx, response, case):
    """Every 4xx/5xx is JSON with a string code and a Chinese message; `fields` maps names to message lists."""
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{case.method} {case.formatted_path}: {response.status_code} is not JSON") from error
    assert isinstance(body, dict) and isinstance(body.get("code"), str) and body["code"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    if "fields" in body:
        assert isinstance(body["fields"], dict), body
    return None


def not_a_server_error(ctx, response, case):
    assert response.status_code < 500, f"{case.method} {case.formatted_path} → {response.status_code}"


def test_api_never_answers_5xx_and_errors_keep_their_shape(api_schema, cast):
    from hypothesis import given
    from schemathesis.generation import GenerationMode

    token, _ = Token.objects.get_or_create(user=cast.user("district_officer"))
    headers = {"Authorization": f"Token {token.key}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
            def run(case):
                response = case.call(headers=headers)
                not_a_server_error(None, response, case)
                documented_error_shape(None, response, case)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to make invalid (an operation without parameters or body)
            except AssertionError as error:
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n".join(failures)
