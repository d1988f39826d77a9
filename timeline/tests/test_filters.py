import pytest
from django.http import QueryDict

from timeline.filters import MAX_ACTORS, parse_timeline_filter

from .factories import ActorFactory

pytestmark = pytest.mark.django_db


def test_known_actors_are_selected_in_order_given():
    trump, putin = ActorFactory(slug="trump"), ActorFactory(slug="putin")
    parsed = parse_timeline_filter(QueryDict("actor=putin&actor=trump&actor=putin"))
    assert parsed.actors == [putin, trump]
    assert parsed.notices == []


def test_unknown_and_malformed_values_become_notices():
    ActorFactory(slug="trump")
    parsed = parse_timeline_filter(QueryDict("actor=trump&actor=nobody&actor=<script>&page=2"))
    assert [actor.slug for actor in parsed.actors] == ["trump"]
    assert parsed.notices == [
        "Ignored the unknown parameter \u201cpage\u201d.",
        "Ignored \u201c<script>\u201d: not a valid actor identifier.",
        "Ignored the unknown actor \u201cnobody\u201d.",
    ]


def test_blank_actor_values_are_ignored_silently():
    parsed = parse_timeline_filter(QueryDict("actor=&actor=%20"))
    assert parsed.actors == [] and parsed.notices == []


def test_too_many_actors_are_capped(django_assert_max_num_queries):
    query = "&".join(f"actor=a{n}" for n in range(MAX_ACTORS + 10))
    with django_assert_max_num_queries(1):
        parsed = parse_timeline_filter(QueryDict(query))
    assert f"Only the first {MAX_ACTORS} actors were used." in parsed.notices
