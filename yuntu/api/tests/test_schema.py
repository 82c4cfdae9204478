from django.core.management import call_command

from .helpers import body


def test_schema_is_served_and_covers_the_endpoints(cast, client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for route in ("/api/members/", "/api/members/{id}/", "/api/members/{id}/transfer/", "/api/orgs/",
                  "/api/orgs/{id}/", "/api/orgs/{id}/move/", "/api/orgs/{id}/member-counts/", "/api/me/",
                  "/api/auth/token/"):
        assert route in schema["paths"], route
    member = schema["components"]["schemas"]["Member"]["properties"]
    assert "id_number_masked" in member and "id_number" not in member and "birth_date" not in member
    create = schema["components"]["schemas"]["MemberCreateRequest"]["properties"]
    assert create["id_number"]["writeOnly"] is True
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    assert "对象不存在或无权访问" in response.content.decode()


def test_schema_generation_has_no_warnings(db, tmp_path):
    # --fail-on-warn turns any warning or error of the generator into a failure; --validate checks the
    # result against the OpenAPI 3 specification.
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/members/" in target.read_text(encoding="utf-8")


def test_docs_page_loads_swagger_ui_from_our_static_files(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert f'"/static/swagger-ui/{asset}"' in page, asset
    assert "cdn" not in page.lower() and "jsdelivr" not in page and "https://" not in page
    assert '<script src="/api/docs/?script=">' in page  # the set-up script is a file: no inline code (CSP)
    assert "/api/schema/" in client.get("/api/docs/?script=").content.decode()


def test_responses_are_utf8_chinese_not_escapes(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    for url in ("/api/orgs/", "/api/members/", "/api/me/", "/api/orgs/987654/"):
        response = client.get(url)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert b"\\u" not in response.content
    assert "兴旺社区".encode() in client.get("/api/orgs/").content
    body(client.get("/api/members/"))


def test_a_page_past_the_end_says_so(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    response = client.get("/api/orgs/?page=99")
    assert response.status_code == 404
    data = body(response)
    assert data == {"code": "invalid_page", "message": "页码超出范围。"}
    assert len(body(client.get("/api/orgs/?page_size=1"))["results"]) == 1


def test_the_browsable_api_renders_for_a_signed_in_user(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    for url in ("/api/orgs/", f"/api/orgs/{cast.orgs['community'].pk}/", "/api/members/", "/api/me/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert "兴旺社区" in response.content.decode() or url == "/api/me/"


def test_nested_validation_errors_are_flattened_to_chinese_lines():
    from rest_framework.exceptions import ErrorDetail

    from yuntu.api.errors import _validation_fields

    fields = _validation_fields({"orgs": {0: [ErrorDetail("组织不存在或无权访问。", code="invalid")]}})
    assert fields == {"orgs": ["第1项：组织不存在或无权访问。"]}


def test_unknown_api_path_answers_json_in_chinese(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "对象不存在或无权访问。"}
    assert "对象不存在".encode() in response.content
