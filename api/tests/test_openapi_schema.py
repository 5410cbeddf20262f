import json
import re

import pytest
import yaml
from django.core.management import call_command


def test_the_schema_generates_without_a_single_warning(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning (an unresolvable
    # serializer, a path parameter without a type...) into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    assert schema["openapi"].startswith("3.")


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_the_live_schema_covers_only_version_1_with_named_tagged_operations(schema):
    ids = []
    for path, _method, operation in operations(schema):
        assert path.startswith("/api/v1/"), path
        assert operation["tags"], path
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    assert {"auth_token_obtain", "threads_list", "threads_answers_create", "answers_vote", "me_update"} <= set(ids)


def test_every_operation_documents_the_error_shape(schema):
    for path, method, operation in operations(schema):
        for code in ("401", "429"):
            assert operation["responses"][code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, (method, path, code)
        assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_reads_are_documented_as_open_to_anonymous_clients(schema):
    assert {} in schema["paths"]["/api/v1/threads/"]["get"]["security"]
    assert {} not in schema["paths"]["/api/v1/threads/"]["post"]["security"]
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }


def test_input_rules_are_documented_from_the_forum_settings(schema, settings):
    title = schema["components"]["schemas"]["ThreadInputRequest"]["properties"]["title"]
    assert (title["minLength"], title["maxLength"]) == (settings.FORUM["TITLE_MIN"], settings.FORUM["TITLE_MAX"])


def test_the_schema_is_served_as_yaml_by_default(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "Alternance Q&A API"


def test_the_docs_page_loads_everything_from_this_site(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert not [url for url in assets if "//" in url], "the docs must not load from a CDN"
    assert "fonts.googleapis" not in html
    for url in assets:
        assert client.get(url).status_code == 200, url
