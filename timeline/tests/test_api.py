"""The API's description (api.py) held against the app: Schemathesis runs
every operation of /api/openapi.json through the WSGI application with the
seed loaded; every documented example is what the app answers to its
request; the document is valid OpenAPI 3.1; /api/ shows all of it with
nothing fetched from elsewhere."""

import copy
import csv
import io
import re
import shlex
from html import escape
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator import validate as validate_openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ceasefire.wsgi import application
from timeline import api
from timeline.exports import EVENT_COLUMNS, QUOTE_COLUMNS, SOURCE_COLUMNS
from timeline.models import Event

DOCUMENT = api.openapi_document()
EXAMPLE_HOST = urlsplit(api.EXAMPLE_ORIGIN).netloc
# When the seed's records were imported: the examples' are not the test's.
TIMESTAMPS = re.compile(r"DTSTAMP:\d{8}T\d{6}Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def documented_examples(document: dict):
    for path, _, operation in operations(document):
        for status, response in operation["responses"].items():
            response = api.resolve(document, response)
            for media_type, media in response.get("content", {}).items():
                for name, example in media.get("examples", {}).items():
                    yield pytest.param(
                        path, status, media_type, example, id=f"{path} {status} {name}"
                    )


def schema_validator(document: dict, schema: dict) -> Draft202012Validator:
    # The document's components beside the schema, so that its "#/components/…" refs resolve.
    return Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def undocumented(document: dict, schema: dict, value, where: str = "") -> list[str]:
    """Paths of the fields in `value` that the schema does not name (where it names any)."""
    schema = api.resolve(document, schema)
    if "oneOf" in schema:
        options = [api.resolve(document, option) for option in schema["oneOf"]]
        objects = [option for option in options if option.get("type") == "object"]
        return undocumented(document, objects[0], value, where) if isinstance(value, dict) else []
    if isinstance(value, list) and "items" in schema:
        return [
            found
            for item in value
            for found in undocumented(document, schema["items"], item, f"{where}[]")
        ]
    if not isinstance(value, dict) or "properties" not in schema:
        return []
    found = [f"{where}.{name}" for name in value if name not in schema["properties"]]
    for name, field in schema["properties"].items():
        if name in value:
            found += undocumented(document, field, value[name], f"{where}.{name}")
    return found


def assert_same(documented, real, where: str = "body") -> None:
    """`real` is `documented`, but for a text the example cuts short (api.ABRIDGED)."""
    if isinstance(documented, str) and documented.endswith(api.ABRIDGED):
        assert isinstance(real, str), where
        assert real.startswith(documented.removesuffix(api.ABRIDGED)), where
    elif isinstance(documented, dict):
        assert isinstance(real, dict) and list(real) == list(documented), where
        for key, value in documented.items():
            assert_same(value, real[key], f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(real, list) and len(real) == len(documented), where
        for index, (value, real_value) in enumerate(zip(documented, real, strict=True)):
            assert_same(value, real_value, f"{where}[{index}]")
    else:
        assert real == documented, where


def csv_table(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "a BOM first, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


# The description against the app, by Schemathesis.


# The tests are generated at collection from the document the app serves
# (test_the_description_is_valid_openapi_3_1 proves the two the same), and
# send their requests to the app in-process, through WSGI. Loading it from
# the app in a fixture (schemathesis.pytest.from_fixture) would need the
# Node._nodeid that pytest 9 no longer has.
schema = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT))


@pytest.fixture
def wsgi_hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the WSGI client's host


# Committed data: the WSGI handler closes the connection after each request.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded", "wsgi_hosts")
@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,  # no saved failures: every run starts from the description
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_described(case):
    case.call_and_validate(
        app=application,
        # The client would accept gzip and not undo it; compression is http_cache.py's test.
        headers={"Accept-Encoding": "identity"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ],
    )


# The examples.


@pytest.mark.parametrize("path, status, media_type, example", list(documented_examples(DOCUMENT)))
@pytest.mark.django_db(transaction=True, reset_sequences=True)  # quote ids as `make run` has them
def test_every_example_is_what_the_app_answers(
    client, seeded, settings, path, status, media_type, example
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, EXAMPLE_HOST.split(":")[0]]
    operation = DOCUMENT["paths"][path]["get"]
    documented = api.resolve(DOCUMENT, operation["responses"][status])
    request = example["summary"].removeprefix("GET ")
    if status == "200":  # the example answers the operation's example parameters
        parameters = [api.resolve(DOCUMENT, p) for p in operation["parameters"]]
        assert request == api.example_request(path, parameters)

    response = client.get(request, HTTP_HOST=EXAMPLE_HOST)
    assert response.status_code == int(status)
    assert response["Content-Type"].split(";")[0] == media_type
    body = body_of(response)
    if media_type == "application/json":
        real = response.json()
        validator = schema_validator(DOCUMENT, documented["content"][media_type]["schema"])
        validator.validate(real)
        validator.validate(example["value"])
        assert_same(example["value"], real)
    elif media_type == "text/csv":
        table = csv_table(body)
        assert table[0] == documented["x-columns"]
        assert_same(csv_table(example["value"]), table)
    else:
        assert TIMESTAMPS.sub("…", body) == TIMESTAMPS.sub("…", example["value"])

    for name, header in documented.get("headers", {}).items():
        if api.resolve(DOCUMENT, header).get("required"):
            assert name in response.headers, name
    if "304" in operation["responses"] and status == "200":
        again = client.get(
            request, HTTP_HOST=EXAMPLE_HOST, HTTP_IF_NONE_MATCH=response.headers["ETag"]
        )
        assert again.status_code == 304 and not again.content
        not_modified = api.resolve(DOCUMENT, operation["responses"]["304"])
        assert set(not_modified["headers"]) <= set(again.headers)


@pytest.mark.django_db(transaction=True)
def test_every_json_answer_about_the_whole_seed_is_documented_field_by_field(client, seeded):
    # Fields may be added, so the schemas leave others open; a field added
    # to the code must be added to the description all the same.
    for path, _, operation in operations(DOCUMENT):
        media = api.resolve(DOCUMENT, operation["responses"]["200"])["content"]
        if "application/json" not in media:
            continue
        real = client.get(path).json()
        response_schema = media["application/json"]["schema"]
        schema_validator(DOCUMENT, response_schema).validate(real)
        if path != "/api/openapi.json":
            assert undocumented(DOCUMENT, response_schema, real) == [], path


def test_every_json_example_fits_its_schema():
    for *_, operation in operations(DOCUMENT):
        for response in operation["responses"].values():
            for media in api.resolve(DOCUMENT, response).get("content", {}).values():
                for example in media.get("examples", {}).values():
                    if not isinstance(example["value"], str):
                        schema_validator(DOCUMENT, media["schema"]).validate(example["value"])
                        assert undocumented(DOCUMENT, media["schema"], example["value"]) == []


# The description itself, and the page for people.


@pytest.mark.django_db
def test_the_description_is_valid_openapi_3_1(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    validate_openapi(document, cls=OpenAPIV31SpecValidator)
    assert document == DOCUMENT


@pytest.mark.django_db
def test_the_reference_page_shows_every_endpoint_and_example_from_the_description(client):
    response = client.get("/api/")
    html = response.content.decode()
    assert response.status_code == 200 and "ETag" in response.headers
    sections = dict(
        re.findall(r'<section class="api-operation" id="([^"]+)"(.*?)</section>', html, re.S)
    )
    assert list(sections) == [operation["operationId"] for *_, operation in operations(DOCUMENT)]
    for path, method, operation in operations(DOCUMENT):
        section = sections[operation["operationId"]]
        assert f'<span class="api-method">{method.upper()}</span><code>{path}</code>' in section
        parameters = [api.resolve(DOCUMENT, p) for p in operation["parameters"]]
        url = f"http://testserver{api.example_request(path, parameters)}"
        assert f"<pre><code>{escape(f'curl {shlex.quote(url)}')}</code></pre>" in section
        for parameter in parameters:
            assert f"<code>{escape(parameter['name'])}</code>" in section
            example = parameter.get("example", [])
            for value in example if isinstance(example, list) else [example]:
                assert escape(str(value)) in section
        for status, documented in operation["responses"].items():
            assert f'<span class="api-status">{status}</span>' in section
            for media in api.resolve(DOCUMENT, documented).get("content", {}).values():
                for example in media.get("examples", {}).values():
                    assert escape(api.example_text(example["value"])) in section


@pytest.mark.django_db
def test_the_reference_page_loads_nothing_from_elsewhere(client):
    html = client.get("/api/").content.decode()
    loaded = re.findall(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"", html)
    assert loaded, "the page's own stylesheet and scripts"
    assert [url for url in loaded if not url.startswith("/") or url.startswith("//")] == []


@pytest.mark.django_db
def test_every_page_links_to_the_reference(client):
    html = client.get("/sources/").content.decode()
    assert '<a href="/api/">API</a>' in html


def test_the_description_is_built_from_the_codes_declarations():
    columns = {
        path: api.resolve(DOCUMENT, operation["responses"]["200"])["x-columns"]
        for path, _, operation in operations(DOCUMENT)
        if path.endswith(".csv")
    }
    assert columns == {
        "/events.csv": EVENT_COLUMNS,
        "/quotes.csv": QUOTE_COLUMNS,
        "/sources.csv": SOURCE_COLUMNS,
    }
    event = DOCUMENT["components"]["schemas"]["Event"]["properties"]
    assert event["kind"]["enum"] == Event.Kind.values
    assert event["status"]["enum"] == Event.Status.values
    assert event["precision"]["enum"] == Event.Precision.values
