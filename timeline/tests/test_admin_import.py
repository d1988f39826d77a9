"""Editors import a file in the admin: upload, read the report of what would
change, confirm. Nothing is written before the confirmation."""

import copy
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from timeline.models import Event, TimelineTitle

from .conftest import staff_user

pytestmark = pytest.mark.django_db

URL = "/admin/timeline/event/import/"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_upload_shows_the_report_and_confirming_imports(admin_client, seed_document):
    assert "Import a timeline" in admin_client.get("/admin/timeline/event/").text
    checked = admin_client.post(
        URL, {"files": upload("seed.json", json.dumps(seed_document).encode())}
    )
    assert checked.status_code == 200
    assert "nothing is written until you confirm" in checked.text
    assert "events: 18 would be created" in checked.text
    assert not Event.objects.exists()
    token = checked.context["token"]
    done = admin_client.post(URL, {"confirm": "Import", "token": token})
    assert "events: 18 created" in done.text
    assert Event.objects.count() == len(seed_document["events"])
    again = admin_client.post(URL, {"confirm": "Import", "token": token})
    assert "That check has expired" in again.text  # a confirmation applies once


def test_a_refused_file_lists_its_problems_and_writes_nothing(admin_client, seed_document):
    document = copy.deepcopy(seed_document)
    document["events"][0]["start"] = "18/03/2025"
    refused = admin_client.post(URL, {"files": upload("seed.json", json.dumps(document).encode())})
    assert refused.status_code == 200
    assert "events[0].start: &#x27;18/03/2025&#x27; is not a date" in refused.text
    assert "token" not in refused.context or not refused.context.get("token")
    not_a_timeline = admin_client.post(URL, {"files": upload("notes.txt", b"<b>hello</b>\n")})
    assert "not a format this app reads" in not_a_timeline.text
    assert "<b>hello" not in not_a_timeline.text
    assert not Event.objects.exists()


def test_only_editors_who_may_write_everything_may_import(client):
    viewer = staff_user("viewer", permissions=Permission.objects.filter(codename="view_event"))
    client.force_login(viewer)
    assert client.get(URL).status_code == 403


def test_an_imported_title_is_reported_and_editors_can_change_it(admin_client, client):
    sheet = (
        "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,"
        "Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
        ",,,,,,,,,Test title,Written for this test,,,,,title,,\n"
    )
    checked = admin_client.post(URL, {"files": upload("sheet.csv", sheet.encode())})
    assert (
        "the timeline&#x27;s title would be: &#x27;Test title&#x27;, was &#x27;Ceasefire Timeline"
        in checked.text
    )
    admin_client.post(URL, {"confirm": "Import", "token": checked.context["token"]})
    assert "<title>Test title</title>" in client.get("/").text
    admin_client.post(
        "/admin/timeline/timelinetitle/1/change/",
        {"title": "Edited title", "description": ""},
    )
    assert TimelineTitle.objects.get().title == "Edited title"
    assert "/admin/timeline/timelinetitle/add/" not in admin_client.get("/admin/").text  # one title


def test_an_upload_cannot_bring_corrections_only_a_restore_can(admin_client, seed_document):
    # A correction nobody made, written for the test: public and permanent if imported.
    document = copy.deepcopy(seed_document)
    document["events"][0]["corrections"] = [
        {"date": "2025-03-20T09:00:00+00:00", "note": "Written for the test.", "changes": []}
    ]
    document["events"][0]["created_at"] = "2020-01-01T00:00:00+00:00"
    checked = admin_client.post(URL, {"files": upload("b.json", json.dumps(document).encode())})
    assert "restored from a backup by" in checked.text
    admin_client.post(URL, {"confirm": "Import", "token": checked.context["token"]})
    event = Event.objects.get(slug=document["events"][0]["slug"])
    assert not event.corrections.exists()
    assert event.created_at.year != 2020
