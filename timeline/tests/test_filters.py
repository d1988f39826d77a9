import pytest
from django.http import QueryDict

from timeline.filters import MAX_VALUES, parse_timeline_filter

from .factories import ActorFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def public_actor(slug):
    """An actor in a published event: the only kind a filter may name."""
    actor = ActorFactory(slug=slug)
    QuoteFactory().event.participations.create(actor=actor)
    return actor


def test_known_actors_are_selected_in_order_given():
    trump, putin = public_actor("trump"), public_actor("putin")
    parsed = parse_timeline_filter(QueryDict("actor=putin&actor=trump&actor=putin"))
    assert parsed.actors == [putin, trump]
    assert parsed.notices == []


def test_unknown_and_malformed_values_become_notices():
    public_actor("trump")
    parsed = parse_timeline_filter(QueryDict("actor=trump&actor=nobody&actor=<script>&page=2"))
    assert [actor.slug for actor in parsed.actors] == ["trump"]
    assert parsed.notices == [
        "Ignored 1 unknown parameter.",
        "Ignored 1 malformed actor value.",
        "Ignored 1 unknown actor: \u201cnobody\u201d.",
    ]


def test_notices_never_repeat_arbitrary_text_from_the_url():
    query = "This+timeline+was+withdrawn=1&Read+the+corrected+one+at+evil.example=1"
    query += "&actor=" + "-".join(["withdrawn"] * 15) + "&actor=a&actor=b&actor=c&actor=d"
    parsed = parse_timeline_filter(QueryDict(query))
    text = " ".join(parsed.notices)
    assert "withdrawn=" not in text and "evil.example" not in text and "Read the" not in text
    assert "Ignored 2 unknown parameters." in parsed.notices
    assert "Ignored 5 unknown actors:" in text and "and 2 more." in text
    assert max(len(notice) for notice in parsed.notices) < 200


def test_blank_actor_values_are_ignored_silently():
    parsed = parse_timeline_filter(QueryDict("actor=&actor=%20"))
    assert parsed.actors == [] and parsed.notices == []


def test_too_many_actors_are_capped(django_assert_max_num_queries):
    query = "&".join(f"actor=a{n}" for n in range(MAX_VALUES + 10))
    with django_assert_max_num_queries(1):
        parsed = parse_timeline_filter(QueryDict(query))
    assert f"Only the first {MAX_VALUES} actors were used." in parsed.notices
