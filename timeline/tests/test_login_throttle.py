"""Login throttling (django-axes, ceasefire/login_throttle.py): repeated
failed logins lock out the user name and the address, with a page saying
when to retry; superusers see the lock-outs in the admin.

The addresses are from the ranges reserved for documentation (RFC 5737)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.db.models import F

from .conftest import PASSWORD, staff_user
from .test_browser import page, screenshot  # noqa: F401 (page is a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

LOGIN = "/admin/login/"
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.23"


@pytest.fixture
def chief():
    return User.objects.create_superuser("chief", password=PASSWORD)


def log_in(client, username, password, ip=HERE, **headers):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=ip, headers=headers)


def is_signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def lock_out(client, username="chief", ip=HERE, failures=5):
    for _ in range(failures):
        log_in(client, username, "not-the-password", ip)


def test_eight_wrong_passwords_lock_the_login_with_a_page_saying_when_to_retry(client, chief):
    statuses = [log_in(client, "chief", f"guess-{n}").status_code for n in range(1, 8)]
    last = log_in(client, "chief", "guess-8")
    assert statuses == [200, 200, 200, 200, 429, 429, 429]
    assert last.status_code == 429
    html = last.content.decode()
    assert (
        "Logging in is paused after too many failed attempts from this address or for this user name."
        in html
    )
    assert "Try again after" in html and "in 15 minutes" in html
    assert "Every attempt before then starts the wait again." in html
    assert last["Retry-After"] == "900"
    retry_at = datetime.datetime.fromisoformat(last.context["retry_at"].isoformat())
    wait = retry_at - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(minutes=14) < wait <= datetime.timedelta(minutes=15)


def test_the_correct_password_is_refused_while_locked_out(client, chief):
    lock_out(client)
    assert log_in(client, "chief", PASSWORD).status_code == 429
    assert not is_signed_in(client)


def test_a_lock_out_covers_every_user_name_from_that_address(client, chief):
    User.objects.create_superuser("deputy", password=PASSWORD)
    lock_out(client, username="chief")
    assert log_in(client, "deputy", PASSWORD).status_code == 429
    assert not is_signed_in(client)
    # From another address the other user name is not locked.
    assert log_in(client, "deputy", PASSWORD, ip=ELSEWHERE).status_code == 302


def test_a_lock_out_covers_the_user_name_from_every_address(client, chief):
    for n in range(5):
        log_in(client, "chief", "not-the-password", ip=f"198.51.100.{n + 1}")
    assert log_in(client, "chief", PASSWORD, ip=ELSEWHERE).status_code == 429
    assert not is_signed_in(client)


def test_a_forwarded_for_header_does_not_dodge_the_lock_without_a_proxy(client, chief):
    lock_out(client, username="nobody")  # so that only the address is locked
    response = log_in(client, "chief", PASSWORD, x_forwarded_for="192.0.2.99")
    assert response.status_code == 429


def test_behind_a_proxy_the_address_comes_from_its_header(client, chief, settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = "10.0.0.2"
    # The right-most address is the one the proxy added; the client wrote the rest.
    for _ in range(5):
        log_in(client, "nobody", "guess", ip=proxy, x_forwarded_for=f"192.0.2.99, {HERE}")
    assert log_in(client, "chief", PASSWORD, ip=proxy, x_forwarded_for=HERE).status_code == 429
    other_reader = log_in(client, "chief", PASSWORD, ip=proxy, x_forwarded_for=ELSEWHERE)
    assert other_reader.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HERE}


def test_a_header_without_an_address_counts_the_connection_address(client, chief, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    for n in range(5):
        log_in(client, "nobody", "guess", x_real_ip=f"<not an address {n}>")
    assert log_in(client, "chief", PASSWORD, x_real_ip="garbage").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HERE}


def test_after_the_cool_off_the_login_works_again(client, chief):
    lock_out(client)
    assert log_in(client, "chief", PASSWORD).status_code == 429
    # The clock moves on past the documented default cool-off: every stored
    # attempt is now 15 minutes and a second older.
    passed = datetime.timedelta(minutes=15, seconds=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - passed)
    assert log_in(client, "chief", PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_wrong_passwords_during_a_lock_out_do_not_make_it_last_for_ever(client, chief):
    lock_out(client)
    # Ten minutes on, someone tries again: still locked...
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=10))
    assert log_in(client, "chief", "not-the-password").status_code == 429
    # ...but the lock-out still ends 15 minutes after it began.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=5, seconds=1)
    )
    assert log_in(client, "chief", PASSWORD).status_code == 302


def test_the_admin_lists_the_lock_out_for_superusers_only(client, chief):
    lock_out(client, username="chief")
    editor = staff_user("editor", groups=[Group.objects.get(name="Editors")])
    client.force_login(editor)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    client.force_login(chief)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "chief" in html and HERE in html
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 5
    assert f"/admin/axes/accessattempt/{attempt.pk}/change/" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_lock_out_page_says_when_to_retry(page, live_server):  # noqa: F811
    User.objects.create_superuser("chief", password=PASSWORD)
    for n in range(5):
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "chief")
        page.fill("#id_password", f"guess-{n}")
        with page.expect_navigation() as navigation:
            page.click("input[type=submit]")
    assert navigation.value.status == 429
    text = page.text_content("#content-main")
    assert (
        "Logging in is paused after too many failed attempts from this address or for this user name."
        in text
    )
    assert "in 15 minutes" in text
    screenshot(page, "login-locked-out")
    # Chromium reports the page's own 429 status in the console; nothing else may fail.
    assert [p for p in page.problems if "status of 429" not in p] == []
