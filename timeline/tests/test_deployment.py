"""Production as documented (README, Deployment): `check --deploy` passes
with no warning, and every response carries the security headers (HSTS and
secure cookies over HTTPS). test_settings.py holds the other settings from
the environment; test_embed.py the framing rules."""

import functools
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

# The production environment the README documents.
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "timeline.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://timeline.example.org",
    "DJANGO_HTTPS": "true",
    "DATABASE_URL": "postgres://timeline@db.internal:5432/timeline",
}
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SILENCED_SYSTEM_CHECKS",
]


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    """`python args…` in a clean environment: only what is given here is configured."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_", "LOGIN_"))
    }
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "ceasefire.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(**env) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


@functools.cache
def _documented_production_settings() -> dict:
    return production_settings(**PRODUCTION)


def production_settings(**env) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_passes_with_the_documented_production_environment():
    result = check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_the_check_still_fails_a_production_run_without_https():
    result = check_deploy(**{**PRODUCTION, "DJANGO_HTTPS": ""})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_hsts_covers_subdomains_and_leaves_preload_to_the_operator():
    assert production_settings(**PRODUCTION) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 30,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        # Only the preload warning, and only while preload is off.
        "SILENCED_SYSTEM_CHECKS": ["security.W021"],
    }


def test_an_operator_who_preloads_gets_the_check_back_and_passes_it():
    preload = {**PRODUCTION, "DJANGO_HSTS_PRELOAD": "true", "DJANGO_HSTS_SECONDS": "31536000"}
    chosen = production_settings(**preload)
    assert chosen["SECURE_HSTS_PRELOAD"] is True
    assert chosen["SILENCED_SYSTEM_CHECKS"] == []
    result = check_deploy(**preload)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_preload_without_a_year_or_subdomains_is_refused_with_the_reason():
    short = check_deploy(**{**PRODUCTION, "DJANGO_HSTS_PRELOAD": "true"})
    assert short.returncode != 0
    assert "DJANGO_HSTS_PRELOAD=true needs DJANGO_HSTS_INCLUDE_SUBDOMAINS on" in short.stderr
    without_subdomains = {
        **PRODUCTION,
        "DJANGO_HSTS_PRELOAD": "true",
        "DJANGO_HSTS_SECONDS": "31536000",
        "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "false",
    }
    assert "at least 31536000 (a year)" in check_deploy(**without_subdomains).stderr


def test_the_login_cool_off_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.AXES_COOLOFF_TIME)"
    assert run(["-c", code], **PRODUCTION).stdout.strip() == "0:15:00"  # the default
    assert run(["-c", code], **PRODUCTION, LOGIN_COOLOFF_SECONDS="60").stdout.strip() == "0:01:00"
    refused = run(["-c", code], **PRODUCTION, LOGIN_COOLOFF_SECONDS="0")
    assert "LOGIN_COOLOFF_SECONDS must be at least 1." in refused.stderr
    nonsense = run(["-c", code], **PRODUCTION, LOGIN_COOLOFF_SECONDS="a while")
    assert "LOGIN_COOLOFF_SECONDS must be a whole number of seconds" in nonsense.stderr


# The headers, with the settings production computes -------------------------


@pytest.fixture
def https(settings):
    """What settings.py sets with DJANGO_HTTPS=true (asserted above), applied here."""
    computed = _documented_production_settings()
    for name in SECURITY_SETTINGS:
        value = computed[name]
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    settings.ALLOWED_HOSTS = ["timeline.example.org"]
    return {"secure": True, "HTTP_HOST": "timeline.example.org"}


EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.django_db
def test_over_https_every_page_carries_the_security_headers(client, https):
    for url in ("/", "/", "/events.json", "/admin/login/"):  # "/" again: from the response cache
        response = client.get(url, **https)
        assert response.status_code == 200, url
        for header, value in EVERY_RESPONSE.items():
            assert response[header] == value, (url, header)
        assert response["Strict-Transport-Security"] == "max-age=2592000; includeSubDomains"
        assert "script-src 'self'" in response["Content-Security-Policy"], url


@pytest.mark.django_db
def test_plain_http_is_sent_to_https(client, https):
    response = client.get("/events/some-event/", HTTP_HOST="timeline.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://timeline.example.org/events/some-event/"


@pytest.mark.django_db
def test_over_https_the_login_cookies_are_secure(client, https, django_user_model):
    django_user_model.objects.create_superuser("chief", password=PASSWORD)
    form = client.get("/admin/login/", **https)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    credentials = {"username": "chief", "password": PASSWORD}
    signed_in = client.post("/admin/login/", credentials, **https)
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.django_db
def test_without_https_there_is_no_hsts_and_cookies_work_over_http(client):
    response = client.get("/admin/login/")
    assert "Strict-Transport-Security" not in response
    assert not response.cookies["csrftoken"]["secure"]
    for header, value in EVERY_RESPONSE.items():
        assert response[header] == value, header
