"""/events.atom: an Atom feed of the events most recently added or
corrected, for feed readers and newsroom tools. Same filter as the timeline.

Entry ids are tag URIs made of the event's permanent slug, so a reader shows
a corrected event as updated, not as a new one."""

import re

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from .models import TimelineTitle

FEED_SIZE = 50
TAG_YEAR = 2025  # the year the tag authority was first used; fixed, so ids never change


# What XML 1.0 cannot hold: control characters other than tab and line
# breaks (Word's vertical tab, a terminal's escape), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value):
    """`value` with every text in it fit for XML 1.0: a character it cannot
    hold reads as a space (Django's feed would otherwise fail with a 500)."""
    if isinstance(value, str):
        return _NOT_XML.sub(" ", value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    return value


class XMLSafeAtomFeed(Atom1Feed):
    """Atom, with every text the feed is given made fit for XML (_xml_safe)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_safe(args), **_xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_safe(args), **_xml_safe(kwargs))


class EventsFeed(Feed):
    feed_type = XMLSafeAtomFeed

    def get_object(self, request, *, timeline_filter):
        self.request = request
        return timeline_filter

    def title(self, timeline_filter):
        return f"{TimelineTitle.current().title}: new and corrected events"

    def subtitle(self, timeline_filter):
        return "Every event backed by quotes copied exactly from its sources."

    def feed_url(self, timeline_filter):
        # rel="self": this feed, filter included, so a reader subscribes to what it read.
        return self.request.get_full_path()

    def link(self, timeline_filter):
        query = timeline_filter.query_string
        return "/" + (f"?{query}" if query else "")

    def items(self, timeline_filter):
        events = timeline_filter.events().order_by("-updated_at", "slug")
        return events.for_timeline().with_corrections()[:FEED_SIZE]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        """HTML, every value escaped: the date as known, the summary, the quotes."""
        quotes = format_html_join(
            "",
            "<blockquote><p>{}</p><footer>{}, in <cite>{}</cite></footer></blockquote>",
            (
                (q.text, q.speaker.name if q.speaker else "The source", q.source.title)
                for q in event.quotes.all()
            ),
        )
        date = escape(f"{event.date_display} ({event.get_status_display().lower()})")
        corrections = render_to_string(
            "timeline/_corrections.html", {"corrections": event.corrections.all(), "event": event}
        ).strip()
        return mark_safe(f"<p>{date}</p><p>{escape(event.summary)}</p>{quotes}{corrections}")  # noqa: S308

    def item_link(self, event):
        return event.get_absolute_url()

    def item_guid(self, event):
        host = self.request.get_host().split(":")[0]
        return f"tag:{host},{TAG_YEAR}:event:{event.slug}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.created_at

    def item_updateddate(self, event):
        return event.updated_at  # a correction sets it to the correction's time

    def item_categories(self, event):
        return [event.get_kind_display(), *(p.actor.name for p in event.participations.all())]
