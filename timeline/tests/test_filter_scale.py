"""Issue 9's target: no filter costs more queries as the timeline grows.
Each combination is requested, cold (the data version bumped first), at two
sizes of a generated timeline, and the counts compared. (A larger timeline
may cost fewer: past FACET_LIMIT the form's counts are not read.)"""

import pytest
from django.db import connection

from timeline.cache import _bump_data_version
from timeline.management.commands.generate_events import generate
from timeline.models import Actor, Source

HTMX = {"HTTP_HX_REQUEST": "true"}

# (what a reader asks for, as a query string; {actor0} etc. filled from the data)
COMBINATIONS = [
    "",
    "q=synthetic",
    "q=event+7",
    "from=2023-03&to=2023-03",
    "from=2023-03-01&to=2023-05-31&kind=statement",
    "actor={actor0}",
    "actor={actor0}&actor={actor1}&match=all&status=occurred",
    "q=talks&actor={actor1}&from=2022&to=2024",
    "kind=call&kind=meeting&status=agreed",
    "source={source0}",
    "lanes=actor&actor={actor0}",
]


def requested(client, url: str, headers: dict):
    """The response, and how many queries it took: counted as they run
    (CaptureQueriesContext keeps only the last 9,000)."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, **headers)
    return response, len(queries)


def queries_per_combination(client) -> dict[str, int]:
    actors = list(
        Actor.objects.for_filter().order_by("-event_count").values_list("slug", flat=True)
    )
    values = {"actor0": actors[0], "actor1": actors[1], "source0": Source.objects.first().slug}
    counts = {}
    for combination in COMBINATIONS:
        query = combination.format(**values)
        for path, headers in (("/", {}), ("/", HTMX), ("/events.json", {})):
            url = f"{path}?{query}"
            _bump_data_version()  # cold: no cached response or figure
            response, queries = requested(client, url, headers)
            assert response.status_code == 200, (url, response.content[:300])
            if path == "/events.json":
                assert response.json()["count"] > 0, f"{url} matches nothing: a poor comparison"
            counts[f"{path}?{combination}{' (htmx)' if headers else ''}"] = queries
    return counts


@pytest.mark.django_db(transaction=True)
def test_no_filter_costs_more_queries_on_a_larger_timeline(client):
    generate(count=400, seed=3, actor_count=6, prefix="small-")
    small = queries_per_combination(client)
    generate(count=4000, seed=4, actor_count=6, prefix="large-")
    large = queries_per_combination(client)
    grown = {
        request: (small[request], large[request])
        for request in small
        if large[request] > small[request]
    }
    assert grown == {}, f"queries grew (400 events, then 4,400): {grown}"
