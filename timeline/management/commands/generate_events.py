"""manage.py generate_events --count N --seed S: realistic synthetic events
for measuring, never loaded by default.

Hundreds of actors with a skewed (Zipf-like) share of events, points and
spans, and several quotes per event drawn from generated source texts that
really contain them, anchored exactly as the app anchors any quote. The same
seed always gives the same data.

Synthetic data is no editor's work: it is written without history
(history.history_paused), deleting it with --replace included.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from timeline.anchoring import anchor_at
from timeline.history import history_paused
from timeline.models import Actor, Event, Participation, Quote, Source
from timeline.services import text_fingerprint
from timeline.triggers import after_bulk_load

FIRST_DAY = datetime.date(2022, 2, 24)
DAYS = 1400
EVENTS_PER_SOURCE = 25
BATCH = 2000
KIND_WEIGHTS = {
    "statement": 30, "call": 10, "meeting": 10, "agreement": 8, "pledge": 6, "proposal": 8,
    "negotiation": 8, "discussion": 6, "prisoner_exchange": 4, "other": 10,
}  # fmt: skip
STATUS_WEIGHTS = {"occurred": 60, "agreed": 12, "planned": 12, "proposed": 10, "rejected": 6}
ACTOR_KINDS = ["person", "state", "organisation", "group"]
VERBS = ["said", "announced", "confirmed", "denied", "warned", "proposed", "agreed", "reported"]
TOPICS = [
    "the ceasefire line", "prisoner exchanges", "energy infrastructure", "grain shipments",
    "the Black Sea corridor", "humanitarian access", "sanctions relief", "security guarantees",
]  # fmt: skip


class Command(BaseCommand):
    help = "Generate N synthetic events (deterministic for a seed) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--actors", type=int, default=300)
        parser.add_argument(
            "--replace", action="store_true", help="First delete data generated with this seed."
        )

    def handle(self, count: int, seed: int, actors: int, replace: bool, **options):
        if count < 1 or actors < 2:
            raise CommandError("--count must be at least 1 and --actors at least 2.")
        prefix = f"gen{seed}-"
        existing = Event.objects.filter(slug__startswith=prefix)
        if existing.exists() and not replace:
            raise CommandError(f"Events generated with seed {seed} exist; add --replace.")
        with transaction.atomic(), history_paused():
            if replace:
                _delete_generated(prefix)
            made = generate(count=count, seed=seed, actor_count=actors, prefix=prefix)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made['events']} events, {made['actors']} actors, "
                f"{made['sources']} sources, {made['quotes']} quotes (seed {seed})."
            )
        )


def _delete_generated(prefix: str) -> None:
    Quote.objects.filter(event__slug__startswith=prefix).delete()
    Event.objects.filter(slug__startswith=prefix).delete()
    Source.objects.filter(slug__startswith=prefix).delete()
    Actor.objects.filter(slug__startswith=prefix).delete()


@transaction.atomic
@history_paused()
def generate(*, count: int, seed: int, actor_count: int, prefix: str) -> dict:
    """One write operation: its bulk_create calls mark the data changed, and
    the version goes up once, when it commits."""
    rng = random.Random(seed)
    actors = Actor.objects.bulk_create(
        [
            Actor(
                name=f"Synthetic actor {n}",
                slug=f"{prefix}actor-{n}",
                kind=ACTOR_KINDS[n % len(ACTOR_KINDS)],
                description="Generated for benchmarks.",
            )
            for n in range(actor_count)
        ]
    )
    # Zipf-like: the n-th actor takes part in about 1/n as many events as the first.
    actor_weights = [1 / (rank + 1) ** 1.1 for rank in range(actor_count)]

    source_count = max(1, count // EVENTS_PER_SOURCE)
    sentences_by_source = [
        [
            f"In report {s}-{k}, {rng.choice(actors).name} {rng.choice(VERBS)} that "
            f"talks on {rng.choice(TOPICS)} would continue (item {k})."
            for k in range(EVENTS_PER_SOURCE * 3)
        ]
        for s in range(source_count)
    ]
    sources = Source.objects.bulk_create(
        [
            Source(
                title=f"Synthetic report {s}",
                slug=f"{prefix}source-{s}",
                publisher="Synthetic Wire",
                published_on=FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS)),
                text=" ".join(sentences),
                sha256=text_fingerprint(" ".join(sentences)),
                notes="Generated for benchmarks.",
            )
            for s, sentences in enumerate(sentences_by_source)
        ],
        batch_size=BATCH,
    )

    kinds, kind_weights = zip(*KIND_WEIGHTS.items(), strict=True)
    statuses, status_weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    events, plans = [], []
    for n in range(count):
        start = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
        end = start + datetime.timedelta(days=rng.randint(1, 60)) if rng.random() < 0.15 else None
        events.append(
            Event(
                title=f"Synthetic event {n}",
                slug=f"{prefix}event-{n}",
                summary="Generated for benchmarks.",
                kind=rng.choices(kinds, kind_weights)[0],
                status=rng.choices(statuses, status_weights)[0],
                start=start,
                end=end,
                precision="day",
                date_basis=f"Synthetic date, generated with seed {seed}.",
                publication="published",
            )
        )
        chosen = set(rng.choices(range(actor_count), actor_weights, k=rng.randint(1, 4)))
        plans.append((chosen, n % source_count, rng.randint(1, 3)))
    events = Event.objects.bulk_create(events, batch_size=BATCH)

    participations, quotes = [], []
    for event, (chosen, source_index, quote_count) in zip(events, plans, strict=True):
        for rank, actor_index in enumerate(sorted(chosen)):
            role = "principal" if rank == 0 else rng.choice(["participant", "mentioned"])
            participations.append(Participation(event=event, actor=actors[actor_index], role=role))
        source = sources[source_index]
        sentences = sentences_by_source[source_index]
        for k in rng.sample(range(len(sentences)), quote_count):
            start = sum(len(s) + 1 for s in sentences[:k])
            anchor = anchor_at(source.text, start, start + len(sentences[k]))
            quotes.append(
                Quote(
                    event=event,
                    source=source,
                    text=sentences[k],
                    start=anchor.start,
                    end=anchor.end,
                    prefix=anchor.prefix,
                    suffix=anchor.suffix,
                )
            )
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    Quote.objects.bulk_create(quotes, batch_size=BATCH)
    after_bulk_load(events=len(events))
    return {
        "events": len(events),
        "actors": len(actors),
        "sources": len(sources),
        "quotes": len(quotes),
    }
