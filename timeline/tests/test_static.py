"""Production static files: every asset is ours, collected and fingerprinted."""

import re

import pytest
from django.core.management import call_command


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    return tmp_path


def test_collectstatic_compresses_and_fingerprints_the_assets(manifest_storage):
    names = {path.name for path in manifest_storage.rglob("*")}
    assert any(re.fullmatch(r"plotly-timeline\.min\.[0-9a-f]{12}\.js\.gz", n) for n in names)
    assert any(re.fullmatch(r"timeline\.[0-9a-f]{12}\.js", n) for n in names)
    assert any(re.fullmatch(r"htmx-2\.min\.[0-9a-f]{12}\.js", n) for n in names)


@pytest.mark.django_db
def test_pages_reference_only_local_assets(client, manifest_storage):
    html = client.get("/").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, "the page loads no assets?"
    for url in sources:
        assert url.startswith("/static/"), url
    assert re.search(r"/static/vendor/[^\"]+/plotly-timeline\.min\.[0-9a-f]{12}\.js", html)


@pytest.mark.django_db
def test_pages_and_json_are_compressed_for_clients_that_accept_it(client, seeded):
    for url in ("/", "/events.json"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", url
