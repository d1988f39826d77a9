"""Who may do what: the "Editors" group (migration 0010) edits the timeline
and nothing else; publishing is a permission of its own; anonymous and
non-staff users reach no admin page and change nothing; every change is a
POST with a CSRF token, and nothing public accepts one."""

import json
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, reverse

from timeline import urls as timeline_urls
from timeline.models import Actor, Event, Quote, Source

from .conftest import PASSWORD, staff_user
from .factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    QuoteFactory,
    SourceFactory,
    event_with_actors_and_quote,
)
from .test_admin import event_change_form, event_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

NOT_ALLOWED = "Publishing needs the \u201cCan publish events\u201d permission"
IMPORT = "/admin/timeline/event/import/"


@pytest.fixture
def editors():
    return Group.objects.get(name="Editors")


@pytest.fixture
def editor(editors):
    """A member of the Editors group: may publish."""
    return staff_user("editor", groups=[editors])


@pytest.fixture
def writer(editors):
    """Everything an editor may do but publish."""
    return staff_user("writer", permissions=editors.permissions.exclude(codename="publish_event"))


def in_as(client, user) -> Client:
    client.force_login(user)
    return client


def draft_with_evidence(**fields):
    return event_with_actors_and_quote(ActorFactory(), publication="draft", **fields)


def change_form(event, **overrides):
    """The change form of `event` as the admin sends it back: its quote and its actor kept."""
    participation = event.participations.get()
    return event_change_form(
        event.quotes.get(),
        participation.actor,
        **{
            "slug": event.slug,
            "participations-INITIAL_FORMS": "1",
            "participations-0-id": str(participation.pk),
            "participations-0-event": str(event.pk),
            **overrides,
        },
    )


# The Editors group -------------------------------------------------------


def test_the_editors_group_holds_the_timeline_and_publishing_only(editors):
    permissions = set(editors.permissions.values_list("content_type__app_label", "codename"))
    assert {app for app, _ in permissions} == {"timeline"}
    for model in ("event", "actor", "source", "quote", "participation", "timelinetitle"):
        for action in ("add", "change", "delete", "view"):
            assert ("timeline", f"{action}_{model}") in permissions
    assert ("timeline", "publish_event") in permissions
    # What the database keeps by itself is no one's to edit.
    assert not {codename for _, codename in permissions if "chartentry" in codename}


def test_an_editor_edits_the_timeline_but_not_users_or_groups(client, editor):
    client = in_as(client, editor)
    event = EventFactory()
    for url in (
        "/admin/timeline/event/",
        "/admin/timeline/event/add/",
        f"/admin/timeline/event/{event.pk}/change/",
        "/admin/timeline/actor/add/",
        "/admin/timeline/source/add/",
        "/admin/timeline/quote/",
        IMPORT,
    ):
        assert client.get(url).status_code == 200, url
    home = client.get("/admin/").content.decode()
    assert "/admin/timeline/event/" in home and "/admin/auth/" not in home
    for url in ("/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/"):
        assert client.get(url).status_code == 403, url
    new_user = {"username": "mallory", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/admin/auth/user/add/", new_user).status_code == 403
    editors = Group.objects.get(name="Editors")
    rights = set(editors.permissions.all())
    promote = {
        "name": "Editors",
        "permissions": list(Permission.objects.values_list("pk", flat=True)),
    }
    assert client.post(f"/admin/auth/group/{editors.pk}/change/", promote).status_code == 403
    assert not User.objects.filter(username="mallory").exists()
    assert set(editors.permissions.all()) == rights
    assert client.get("/admin/axes/accessattempt/").status_code == 403


# Anonymous and non-staff users -----------------------------------------------

# Values for the admin's URL parameters; object ids are filled in per model.
URL_VALUES = {"app_label": "timeline", "content_type_id": "1", "object_id": "1"}


def admin_pages(instances: dict) -> list[str]:
    """Every page of the admin but login and logout, from its URL patterns, so
    a page added later is covered too."""
    pages = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name not in (None, "login", "logout"):
                regex = pattern.pattern.regex
                kwargs = {name: URL_VALUES.get(name, "1") for name in regex.groupindex}
                model = next((m for m in instances if pattern.name.startswith(m + "_")), None)
                object_id = str(instances[model].pk) if model else "1"
                if "object_id" in kwargs:
                    kwargs["object_id"] = object_id
                # Unnamed groups (re_path): the object first, then any other id.
                args = [object_id] + ["1"] * (regex.groups - 1) if not kwargs else []
                pages.append(
                    reverse(f"admin:{pattern.name}", args=args[: regex.groups], kwargs=kwargs)
                )

    walk(admin.site.get_urls())
    return pages


@pytest.fixture
def records():
    quote = QuoteFactory(event=EventFactory(publication="draft"))
    ParticipationFactory(event=quote.event)
    return {
        "timeline_event": quote.event,
        "timeline_quote": quote,
        "timeline_source": quote.source,
        "timeline_actor": Actor.objects.first(),
        "auth_user": User.objects.create_superuser("chief", password=PASSWORD),
        "auth_group": Group.objects.get(name="Editors"),
    }


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Event, Actor, Source, Quote, User, Group)
    ]


@pytest.fixture(params=["anonymous", "non-staff"])
def outsider(request, client):
    if request.param == "non-staff":
        client.force_login(User.objects.create_user("reader", password=PASSWORD))
    return client


def test_anonymous_and_non_staff_users_reach_no_admin_page(outsider, records):
    pages = admin_pages(records)
    assert len(pages) > 50 and IMPORT in pages
    for url in pages:
        response = outsider.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), url


def test_anonymous_and_non_staff_users_change_nothing(outsider, records):
    before = snapshot()
    event, source = records["timeline_event"], records["timeline_source"]
    everything = {
        **event_form(source, records["timeline_actor"], publication="published"),
        "post": "yes",
        "action": "delete_selected",
        "_selected_action": [event.pk],
        "username": "mallory",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "confirm": "Import",
    }
    for url in admin_pages(records):
        response = outsider.post(url, everything)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), url
    assert snapshot() == before


def test_the_login_form_refuses_users_who_are_not_staff(client):
    User.objects.create_user("reader", password=PASSWORD)
    response = client.post("/admin/login/", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account" in response.text
    assert client.get("/admin/").status_code == 302


# Publishing is a permission of its own ---------------------------------------


def test_without_the_publish_permission_an_editor_saves_drafts_only(client, writer):
    client = in_as(client, writer)
    source, actor = SourceFactory(), ActorFactory()
    refused = client.post("/admin/timeline/event/add/", event_form(source, actor))
    assert refused.status_code == 200 and not Event.objects.exists()
    assert NOT_ALLOWED in refused.text
    draft = event_form(source, actor, publication="draft")
    assert client.post("/admin/timeline/event/add/", draft).status_code == 302
    event = Event.objects.get()
    publish = change_form(event, publication="published")
    response = client.post(f"/admin/timeline/event/{event.pk}/change/", publish)
    assert response.status_code == 200 and NOT_ALLOWED in response.text
    event.refresh_from_db()
    assert event.publication == "draft"


def test_without_the_publish_permission_a_published_event_can_still_be_corrected(client, writer):
    quote = QuoteFactory()
    actor = ActorFactory()
    data = event_change_form(quote, actor, slug=quote.event.slug, title="Corrected title")
    response = in_as(client, writer).post(f"/admin/timeline/event/{quote.event.pk}/change/", data)
    assert response.status_code == 302
    quote.event.refresh_from_db()
    assert (quote.event.title, quote.event.publication) == ("Corrected title", "published")


def test_an_editor_publishes_a_draft(client, editor):
    quote = QuoteFactory(event=EventFactory(publication="draft"))
    data = event_change_form(quote, ActorFactory(), slug=quote.event.slug)
    response = in_as(client, editor).post(f"/admin/timeline/event/{quote.event.pk}/change/", data)
    assert response.status_code == 302
    quote.event.refresh_from_db()
    assert quote.event.publication == "published"


def test_the_publish_action_is_offered_to_those_who_may_publish(client, writer, editor):
    ready, unready = draft_with_evidence(title="Ready"), EventFactory(publication="draft")
    listing = in_as(client, writer).get("/admin/timeline/event/").text
    assert "publish_drafts" not in listing and "delete_selected" in listing
    action = {"action": "publish_drafts", "_selected_action": [ready.pk, unready.pk]}
    refused = client.post("/admin/timeline/event/", action, follow=True)
    assert refused.status_code == 200 and "No action selected." in refused.text
    assert Event.objects.filter(publication="published").count() == 0

    assert "Publish the selected drafts" in in_as(client, editor).get("/admin/timeline/event/").text
    done = client.post("/admin/timeline/event/", action, follow=True)
    assert "Published 1 event(s)." in done.text
    assert (
        f"Left as drafts, as they need at least one actor and one quote verified in its source: {unready.title}."
        in done.text
    )
    assert list(Event.objects.filter(publication="published")) == [ready]


def import_through_the_admin(client, document) -> str:
    upload = SimpleUploadedFile("timeline.json", json.dumps(document).encode())
    checked = client.post(IMPORT, {"files": upload})
    assert "token" in checked.context, checked.text
    return client.post(IMPORT, {"confirm": "Import", "token": checked.context["token"]}).text


@pytest.fixture
def three_events(seed_document):
    """The seed's sources and actors with three of its events: enough, and quick."""
    return {**seed_document, "events": seed_document["events"][:3]}


def test_an_import_without_the_publish_permission_brings_events_in_as_drafts(
    client, writer, three_events
):
    report = import_through_the_admin(in_as(client, writer), three_events)
    assert "3 event(s) stay drafts: publishing needs the \u201cCan publish events\u201d" in report
    assert not Event.objects.published().exists() and Event.objects.count() == 3
    # Saying so in the document does not publish a draft either.
    published = {
        **three_events,
        "events": [{**three_events["events"][0], "publication": "published"}],
    }
    report = import_through_the_admin(client, published)
    assert "1 event(s) stay drafts" in report
    assert not Event.objects.published().exists()


def test_an_import_without_the_publish_permission_keeps_published_events_published(
    client, writer, editor, three_events
):
    import_through_the_admin(in_as(client, editor), three_events)
    assert Event.objects.published().count() == 3
    # What is published stays so when a writer imports a correction of it.
    corrected = {**three_events, "events": [dict(e) for e in three_events["events"]]}
    corrected["events"][0]["title"] = "Corrected in the test"
    report = import_through_the_admin(in_as(client, writer), corrected)
    assert "stay drafts" not in report
    assert Event.objects.published().count() == 3
    assert Event.objects.filter(title="Corrected in the test").exists()


# Every change is a POST with a CSRF token ------------------------------------


def public_urls() -> list[str]:
    """Every public URL, from the app's patterns, with a placeholder for each parameter."""
    urls = []
    for pattern in timeline_urls.urlpatterns:
        kwargs = {name: "fr" for name in pattern.pattern.converters}
        urls.append(
            reverse(f"timeline:{pattern.name}" if pattern.name else "", kwargs=kwargs)
            if pattern.name
            else "/favicon.ico"
        )
    return urls


def test_nothing_public_accepts_a_post(client, seeded):
    urls = public_urls()
    assert "/language/fr/" in urls and "/events.json" in urls
    for url in urls:
        assert client.post(url, {"q": "x"}).status_code == 405, url
        assert Client(enforce_csrf_checks=True).post(url).status_code in (403, 405), url


def test_switching_the_language_changes_no_server_state(client, seeded):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/language/fr/?next=/events/trump-putin-call/")
    assert response.status_code == 302
    assert response["Location"] == "/events/trump-putin-call/"
    assert list(response.cookies) == ["django_language"]  # the reader's choice, kept by the reader
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def token_of(client) -> str:
    """The token a form of the admin carries (signed in or not)."""
    client.get("/admin/")
    client.get("/admin/login/")
    return client.cookies["csrftoken"].value


def csrf_cases(event, source, actor):
    """(what, url, data, done?) for each kind of change in the admin."""
    return [
        (
            "add an event",
            "/admin/timeline/event/add/",
            event_form(source, actor, slug="added", publication="draft"),
            lambda: Event.objects.filter(slug="added").exists(),
        ),
        (
            "change an event",
            f"/admin/timeline/event/{event.pk}/change/",
            change_form(event, title="Changed", publication="draft"),
            lambda: Event.objects.filter(title="Changed").exists(),
        ),
        (
            "run the publish action",
            "/admin/timeline/event/",
            {"action": "publish_drafts", "_selected_action": [event.pk]},
            lambda: Event.objects.filter(pk=event.pk, publication="published").exists(),
        ),
        (
            "attach a quote",
            f"/admin/timeline/source/{source.pk}/attach-quote/",
            {"event": event.pk, "text": "A second round is planned for April.", "start": "87"},
            lambda: Quote.objects.filter(text="A second round is planned for April.").exists(),
        ),
        (
            "add a user",
            "/admin/auth/user/add/",
            {
                "username": "new",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "usable_password": "true",
            },
            lambda: User.objects.filter(username="new").exists(),
        ),
        (
            "delete an event",
            f"/admin/timeline/event/{event.pk}/delete/",
            {"post": "yes"},
            lambda: not Event.objects.filter(pk=event.pk).exists(),
        ),
    ]


def test_every_admin_change_needs_a_csrf_token(records):
    chief = records["auth_user"]
    event = draft_with_evidence()
    source = event.quotes.get().source
    client = Client(enforce_csrf_checks=True)
    client.force_login(chief)
    for what, url, data, done in csrf_cases(event, source, event.actors.get()):
        refused = client.post(url, data)
        assert refused.status_code == 403 and "CSRF verification failed" in refused.text, what
        assert not done(), what
        accepted = client.post(url, {**data, "csrfmiddlewaretoken": token_of(client)})
        assert accepted.status_code == 302, (what, accepted.status_code)
        assert done(), what


def test_signing_in_and_out_need_a_csrf_token(records):
    client = Client(enforce_csrf_checks=True)
    credentials = {"username": "chief", "password": PASSWORD}
    assert client.post("/admin/login/", credentials).status_code == 403
    assert client.get("/admin/").status_code == 302
    client.post("/admin/login/", {**credentials, "csrfmiddlewaretoken": token_of(client)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/logout/").status_code == 405  # a link cannot sign anyone out
    assert client.post("/admin/logout/").status_code == 403
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/", {"csrfmiddlewaretoken": token_of(client)})
    assert client.get("/admin/").status_code == 302


def test_a_get_changes_nothing_in_the_admin(admin_client):
    event = draft_with_evidence()
    source = event.quotes.get().source
    before = snapshot()
    for what, url, data, _ in csrf_cases(event, source, event.actors.get()):
        assert admin_client.get(url, data).status_code in (200, 302), what
    assert snapshot() == before
    page = admin_client.get(f"/admin/timeline/event/{event.pk}/delete/", {"post": "yes"}).text
    assert re.search(r"Are you sure you want to delete the event", page)
