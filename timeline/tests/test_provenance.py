"""What a fact-checker sees: passages in context, citations, verification
marks, each party's account, and the source text with every quote in place."""

import datetime

import plotly.graph_objects as go
import pytest
from django.utils.html import escape

from timeline.models import Event, Quote, Source
from timeline.services import source_save

from .factories import EventFactory, QuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_event_page_shows_context_citation_and_verification(client, seeded):
    html = client.get("/events/prisoner-swap/").content.decode()
    quote = Event.objects.get(slug="prisoner-swap").quotes.get()
    # the sentences either side of the quoted one, from the article itself
    assert "The despot said that he would not agree to a full ceasefire" in html
    assert "Putin said he would hand over 23 injured Ukrainian soldiers" in html
    assert (
        f"Characters {quote.start}\u2013{quote.end}: "
        f"http://testserver/sources/{quote.source.slug}/#quote-{quote.pk}"
    ) in html
    assert "publisher unknown, 19 March 2025" in html
    assert "\u2713 verified" in html and f"characters {quote.start}\u2013{quote.end}" in html


def test_white_house_and_kremlin_accounts_side_by_side(client, seeded):
    html = client.get("/events/trump-putin-call/", **HTMX).content.decode()
    assert "Accounts side by side" in html
    white_house = html.index('<h4 class="account-name">White House</h4>')
    kremlin = html.index('<h4 class="account-name">Kremlin</h4>')
    own_words = html.index('<h4 class="account-name">The source\u2019s own words</h4>')
    assert white_house < html.index("Both leaders agreed this conflict needs to end") < kremlin
    assert kremlin < html.index("detailed and frank exchange of views") < own_words


def test_single_voice_event_has_no_accounts_section(client, seeded):
    html = client.get("/events/prisoner-swap/").content.decode()
    assert "Accounts side by side" not in html and "What the sources say" in html


def test_orphaned_quote_is_shown_as_such_and_points_nowhere(client):
    quote = QuoteFactory(text="A second round is planned for April.")
    source = quote.source
    source.text = source.text.replace("April", "May")
    source_save(source=source)
    html = client.get(quote.event.get_absolute_url()).content.decode()
    assert "\u26a0 orphaned" in html
    assert "no longer contains these exact words" in html
    assert f"#quote-{quote.pk}" not in html
    data = client.get("/events.json").json()
    [json_quote] = data["events"][0]["quotes"]
    assert (json_quote["start"], json_quote["end"]) == (None, None)


def test_source_page_highlights_every_quote_in_place(client, seeded):
    source = Source.objects.get()
    html = client.get(source.get_absolute_url()).content.decode()
    for quote in source.quotes.all():
        assert f'<span class="passage-start" id="quote-{quote.pk}"></span>' in html
        assert f'href="{quote.event.get_absolute_url()}" data-quote="{quote.pk}"' in html
    assert '<mark class="hl' in html
    assert "hl-overlap" in html  # a passage the seed quotes for two events
    assert source.sha256 in html and len(source.sha256) == 64


def test_source_page_text_is_escaped(client):
    source = SourceFactory(text="<script>alert(1)</script> We agreed to keep talking, they said.")
    QuoteFactory(source=source, text="We agreed to keep talking,")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize("size", [5, 60])
def test_event_and_source_pages_query_count_is_constant(client, django_assert_num_queries, size):
    source = SourceFactory()
    event = EventFactory()
    for _ in range(size):
        QuoteFactory(event=event, source=source, text="A second round is planned for April.")
    # The data version, the event, its actors, its quotes with their sources' texts,
    # its corrections, the title, and the events before and after it.
    with django_assert_num_queries(9):
        assert client.get(event.get_absolute_url()).status_code == 200
    # The data version, the source, its quotes with their events.
    with django_assert_num_queries(4):
        assert client.get(source.get_absolute_url()).status_code == 200


def test_filter_by_source_and_several_sources_badge(client):
    first, second = SourceFactory(), SourceFactory()
    both = EventFactory(title="Backed twice")
    QuoteFactory(event=both, source=first)
    QuoteFactory(event=both, source=second, text="A second round is planned for April.")
    only_first = EventFactory(title="Backed once")
    QuoteFactory(event=only_first, source=first)

    html = client.get(f"/?source={second.slug}").content.decode()
    assert "1 of 2 events backed by" in html
    assert "Backed twice" in html and "Backed once" not in html
    assert "2 sources" in html
    assert f'id="source-{second.slug}" checked' in html
    data = client.get(f"/events.json?source={first.slug}").json()
    assert {e["title"] for e in data["events"]} == {"Backed twice", "Backed once"}
    notice = client.get("/?source=nowhere").content.decode()
    assert "Ignored 1 unknown source: \u201cnowhere\u201d." in notice


def test_inferred_and_uncertain_dates_are_marked(client, seeded):
    html = client.get("/").content.decode()
    assert "between 18 and 19 March 2025" in html
    assert "some time before 18 March 2025" in html
    assert '>inferred<span class="tip" role="tooltip"' in html
    readout = Event.objects.get(slug="white-house-readout")
    assert escape(readout.date_basis) in html


def test_chart_draws_the_range_of_an_uncertain_date(client):
    from timeline.charts import build_timeline_figure

    EventFactory(
        slug="readout",
        start=datetime.date(2025, 3, 18),
        earliest=datetime.date(2025, 3, 18),
        latest=datetime.date(2025, 3, 19),
    )
    EventFactory(slug="before", start=datetime.date(2025, 3, 18), latest=datetime.date(2025, 3, 18))
    figure = go.Figure(build_timeline_figure(list(Event.objects.for_chart())))
    [ranges] = [trace for trace in figure.data if trace.name == "Date range"]
    left_edge = figure.layout.xaxis.range[0]
    # "between 18 and 19 March" spans one day; "some time before" runs from the left edge
    assert set(zip(ranges.base, ranges.x, strict=True)) == {
        ("2025-03-18", 24 * 60 * 60 * 1000),
        (
            left_edge,
            (datetime.date(2025, 3, 18) - datetime.date.fromisoformat(left_edge)).days
            * 24
            * 60
            * 60
            * 1000,
        ),
    }
    symbols = [s for t in figure.data if t.type == "scatter" for s in t.marker.symbol]
    assert all(symbol.endswith("-open") for symbol in symbols)


def test_quote_inline_shows_status_and_admin_lists_orphans(admin_client):
    quote = QuoteFactory(text="A second round is planned for April.")
    Quote.objects.filter(pk=quote.pk).update(start=None, end=None, status="orphaned")
    html = admin_client.get("/admin/timeline/quote/?status__exact=orphaned").content.decode()
    assert "A second round is planned for April." in html
    sources = admin_client.get("/admin/timeline/source/").content.decode()
    assert '<td class="field-orphan_count">1</td>' in sources


def test_admin_passage_picker_attaches_the_selected_occurrence(admin_client):
    source = SourceFactory(text="Alpha said: we agree. Beta said: we agree.")
    event = EventFactory()
    url = f"/admin/timeline/source/{source.pk}/attach-quote/"
    assert "Select a passage" in admin_client.get(url).content.decode()
    second = source.text.rindex("we agree.")
    response = admin_client.post(url, {"event": event.pk, "text": "we agree.", "start": second})
    assert response.status_code == 302
    quote = event.quotes.get()
    assert quote.start == second
    assert quote.prefix == source.text[second - 32 : second]


def test_admin_passage_picker_refuses_text_not_in_the_source(admin_client):
    source = SourceFactory()
    event = EventFactory()
    url = f"/admin/timeline/source/{source.pk}/attach-quote/"
    response = admin_client.post(url, {"event": event.pk, "text": "Invented words.", "start": 0})
    assert response.status_code == 200
    assert "does not occur verbatim" in response.content.decode()
    assert not Quote.objects.exists()
