"""The editors' flow through the real admin forms, inline formsets included."""

import pytest
from django.contrib.auth.models import User

from timeline.models import Event, Quote

from .conftest import PASSWORD
from .factories import ActorFactory, EventFactory, QuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db


def event_form(source, actor, **overrides):
    data = {
        "title": "Envoys meet in Geneva",
        "slug": "envoys-meet-in-geneva",
        "summary": "",
        "kind": "meeting",
        "status": "occurred",
        "start": "2025-03-17",
        "end": "",
        "precision": "day",
        "date_basis": "The source says the ministers met on Monday.",
        "publication": "published",
        "participations-TOTAL_FORMS": "1",
        "participations-INITIAL_FORMS": "0",
        "participations-0-actor": str(actor.pk),
        "participations-0-role": "principal",
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "0",
        "quotes-0-source": str(source.pk),
        "quotes-0-speaker": "",
        "quotes-0-text": "The ministers met in Geneva on Monday.",
    }
    data.update(overrides)
    return data


def event_change_form(quote, actor, **overrides):
    """The change form of the event `quote` backs, keeping that quote, with `actor`."""
    event = quote.event
    initial_quote = {
        # Opened now: at the event's current version (see test_concurrency.py).
        "opened_version": str(Event.objects.get(pk=event.pk).version),
        "quotes-INITIAL_FORMS": "1",
        "quotes-0-id": str(quote.pk),
        "quotes-0-event": str(event.pk),
        "quotes-0-text": quote.text,
    }
    return event_form(quote.source, actor, **{"title": event.title, **initial_quote, **overrides})


def source_form(source, text):
    return {
        "title": source.title,
        "slug": source.slug,
        "publisher": source.publisher,
        "url": "",
        "published_on": "2025-03-19",
        "notes": "",
        "text": text,
    }


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/admin/timeline/event/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_non_staff_users_cannot_get_in(client):
    # Signed in some other way: the admin login form itself refuses them (test_roles.py).
    client.force_login(User.objects.create_user("reader", password=PASSWORD))
    assert client.get("/admin/timeline/event/").status_code == 302


def test_login_through_the_form_then_add_event(client):
    User.objects.create_superuser("chief", password=PASSWORD)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "chief", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    source, actor = SourceFactory(), ActorFactory()
    response = client.post("/admin/timeline/event/add/", event_form(source, actor))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    event = Event.objects.get(slug="envoys-meet-in-geneva")
    quote = event.quotes.get()
    assert source.text[quote.start : quote.end] == "The ministers met in Geneva on Monday."
    assert list(event.actors.all()) == [actor]


def test_quote_not_in_source_is_refused_and_nothing_is_saved(admin_client):
    source, actor = SourceFactory(), ActorFactory()
    data = event_form(source, actor, **{"quotes-0-text": 'The ministers met in "Geneva" on Monday'})
    response = admin_client.post("/admin/timeline/event/add/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "does not occur verbatim in the source" in html
    assert "The closest passage in the source is" in html
    assert not Event.objects.exists() and not Quote.objects.exists()


def test_straight_quotes_get_the_exact_passage_suggested(admin_client):
    source, actor = SourceFactory(), ActorFactory()
    data = event_form(
        source, actor, **{"quotes-0-text": '"We agreed to keep talking," the envoy said.'}
    )
    html = admin_client.post("/admin/timeline/event/add/", data).content.decode()
    assert "\u201cWe agreed to keep talking,\u201d the envoy said." in html


def test_end_before_start_is_a_form_error(admin_client):
    source, actor = SourceFactory(), ActorFactory()
    data = event_form(source, actor, end="2025-03-01")
    html = admin_client.post("/admin/timeline/event/add/", data).content.decode()
    assert "The end date cannot be before the start date." in html
    assert not Event.objects.exists()


def test_change_keeps_the_slug_and_shows_on_the_timeline(admin_client, client):
    quote = QuoteFactory()
    event = quote.event
    page = admin_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    assert 'name="slug"' not in page  # read-only once created
    data = event_change_form(
        quote, ActorFactory(), title="A corrected title", slug="ignored-because-read-only"
    )
    response = admin_client.post(f"/admin/timeline/event/{event.pk}/change/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "A corrected title"
    assert event.slug.startswith("event-")
    assert "A corrected title" in client.get("/").content.decode()


def test_search_finds_events_by_quote_text(admin_client):
    QuoteFactory(
        event=EventFactory(title="Geneva round"), text="A second round is planned for April."
    )
    EventFactory(title="Unrelated")
    html = admin_client.get("/admin/timeline/event/?q=second+round").content.decode()
    assert "Geneva round" in html and "Unrelated" not in html


def test_event_changelist_query_count_is_constant(admin_client, django_assert_max_num_queries):
    for _ in range(30):
        QuoteFactory()
    with django_assert_max_num_queries(12):
        assert admin_client.get("/admin/timeline/event/").status_code == 200


def test_source_edit_that_removes_a_quoted_passage_orphans_it_with_a_warning(admin_client):
    quote = QuoteFactory(text="A second round is planned for April.")
    source = quote.source
    original = source.text
    data = source_form(source, original.replace("April", "May"))
    response = admin_client.post(f"/admin/timeline/source/{source.pk}/change/", data, follow=True)
    html = response.content.decode()
    assert "1 quote(s) no longer occur in this text and are marked orphaned" in html
    quote.refresh_from_db()
    assert quote.is_orphaned and quote.start is None
    orphan_list = admin_client.get("/admin/timeline/quote/?status__exact=orphaned").content.decode()
    assert "A second round is planned for April." in orphan_list

    admin_client.post(f"/admin/timeline/source/{source.pk}/change/", source_form(source, original))
    quote.refresh_from_db()
    assert not quote.is_orphaned
    assert original[quote.start : quote.end] == quote.text


def test_source_edit_that_moves_a_quote_reanchors_it(admin_client):
    quote = QuoteFactory(text="A second round is planned for April.")
    source = quote.source
    data = source_form(source, "Updated at 10:00.\r\n" + source.text)
    response = admin_client.post(f"/admin/timeline/source/{source.pk}/change/", data)
    assert response.status_code == 302
    quote.refresh_from_db()
    source.refresh_from_db()
    assert source.text.startswith("Updated at 10:00.\n")
    assert source.text[quote.start : quote.end] == quote.text


def test_demo_editor_can_edit_events_but_not_users(client, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_editor", stdout=__import__("io").StringIO())
    editor = User.objects.get(username="editor")
    client.force_login(editor)
    assert client.get("/admin/timeline/event/add/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_a_published_event_needs_a_quote_and_an_actor_a_draft_does_not(admin_client, client):
    source, actor = SourceFactory(), ActorFactory()
    bare = {"participations-TOTAL_FORMS": "0", "quotes-TOTAL_FORMS": "0"}
    response = admin_client.post("/admin/timeline/event/add/", event_form(source, actor, **bare))
    html = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()
    assert "A published event needs at least one actor." in html
    assert "A published event needs at least one quote verified in its source." in html
    draft = event_form(source, actor, publication="draft", **bare)
    assert admin_client.post("/admin/timeline/event/add/", draft).status_code == 302
    event = Event.objects.get()
    assert event.publication == "draft"
    assert admin_client.get(event.get_absolute_url()).status_code == 200  # editors preview it
    assert client.get(event.get_absolute_url()).status_code == 404  # and readers never get it
    assert "Draft (editors only)" in admin_client.get("/admin/timeline/event/").content.decode()


def test_actor_autocomplete_finds_by_name_not_description(admin_client):
    ActorFactory(name="Downing Street", description="Spoke for Putin's counterpart")
    ActorFactory(name="Vladimir Putin")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "Putin", "app_label": "timeline", "model_name": "quote", "field_name": "speaker"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Vladimir Putin"]
