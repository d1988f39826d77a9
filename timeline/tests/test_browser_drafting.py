"""The review of a draft in Chromium, as an editor uses it (issue 11): the
words behind each date and quote marked in the source text, a click on a
proposal's date scrolling the text to them, two proposals accepted at once
and found as drafts; on a desk and on a phone; and axe-core finding no
serious problem on the page.

The proposals are the hand-built ones of test_drafting_review.py (verbatim
passages of the seed article at their real offsets), so the page is tested
whatever the extractor proposes."""

import pytest
from playwright.sync_api import expect

from timeline import drafting
from timeline.drafting.proposals import Draft
from timeline.services import timeline_import
from timeline.tests import test_browser
from timeline.tests.conftest import artifact, editor_user
from timeline.tests.test_accessibility import (
    DJANGO_ADMIN_CORE,
    blocking_violations,
    report,
    serve_axe,
)
from timeline.tests.test_drafting_review import NEW_SPOKESMAN, SWAP, seed_proposals

pytestmark = pytest.mark.browser

page = test_browser.page


@pytest.fixture
def drafting_site(live_server, transactional_db, seed_document, monkeypatch):
    """The seed article and its actors, no events yet; an editor; the
    hand-built proposals in place of the extractor's."""
    from timeline.models import Source

    timeline_import(document={**seed_document, "events": []})
    monkeypatch.setattr(
        drafting,
        "draft_events",
        lambda source: Draft(source.slug, source.published_on, seed_proposals(source.text)),
    )
    editor_user("desk")
    return live_server.url, Source.objects.get()


def log_in(page, site):
    test_browser.log_in(page, site, "desk")


def in_view(page, selector: str) -> bool:
    """Whether the element is inside the text's scroll box and the window."""
    return page.evaluate(
        """selector => {
            const element = document.querySelector(selector);
            const box = element.getBoundingClientRect();
            const frame = element.closest('.drafting-source-text').getBoundingClientRect();
            return box.top >= Math.max(frame.top, 0) - 1 && box.bottom <= Math.min(frame.bottom, innerHeight) + 1;
        }""",
        selector,
    )


def test_an_editor_follows_the_marks_and_accepts_two_proposals_at_once(page, drafting_site):
    from timeline.models import Event

    site, source = drafting_site
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site)
    page.goto(f"{site}/admin/timeline/source/{source.pk}/change/")
    page.get_by_role("link", name="Draft events from this text").click()
    page.wait_for_url(f"**/admin/timeline/source/{source.pk}/draft/")

    # Every date's words and every quote are marked in the text.
    assert page.locator(".drafting-source-text mark.drafting-quote").count() >= 4
    date_at = source.text.index("on Monday night")
    date_mark = f"#passage-{date_at}-{date_at + len('on Monday night')}"
    assert page.locator(date_mark).inner_text() == "on Monday night"
    assert not in_view(page, date_mark)  # far down the text at first
    test_browser.screenshot(page, "drafting-review")

    # A click on the proposal's date scrolls the text to its words and focuses them.
    page.locator("#proposal-p2 .drafting-goto-date").click()
    page.wait_for_url(f"**{date_mark}")
    # A function, not an expression, which Playwright would poll by eval (refused by the CSP).
    page.wait_for_function(
        f"() => document.activeElement === document.querySelector('{date_mark}')"
    )
    assert in_view(page, date_mark)
    assert "is-current" in page.locator(date_mark).get_attribute("class")
    swap_at = source.text.index(SWAP)
    page.locator("#proposal-p1 .drafting-goto-quote").click()
    swap_mark = f"#passage-{swap_at}-{swap_at + len(SWAP)}"
    page.wait_for_function(
        f"() => document.activeElement === document.querySelector('{swap_mark}')"
    )
    # Every piece of the quote is marked current, the date inside it included.
    assert page.locator("mark.is-current").all_inner_texts() == [
        "A prisoner swap was also confirmed to happen ",
        "today (Wed)",
        ", with a 175-for-175 exchange between Russia and Ukraine.",
    ]
    page.screenshot(path=str(artifact("drafting-review-marked.png")))

    # Two at once: the swap as it is, the call with its new speaker confirmed.
    page.get_by_role("checkbox", name="Accept", exact=True).nth(0).check()
    page.get_by_role("checkbox", name="Accept", exact=True).nth(1).check()
    page.get_by_role("checkbox", name=NEW_SPOKESMAN.name, exact=True).check()
    page.get_by_role("button", name="Accept selected").first.click()
    page.wait_for_url("**/admin/timeline/event/?id__in=*")
    assert "Accepted 2 proposal(s) as draft events" in page.locator(".messagelist").inner_text()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert sorted(rows.locator("th a").all_inner_texts()) == [
        "Prisoner swap of 175 for 175",
        "Starmer and Trump speak by phone",
    ]
    assert rows.locator("td.field-publication").all_inner_texts() == ["Draft (editors only)"] * 2
    assert set(Event.objects.values_list("publication", flat=True)) == {"draft"}
    test_browser.screenshot(page, "drafting-review-accepted")
    assert page.problems == []


def test_on_a_phone_the_text_follows_the_proposals_without_sideways_scrolling(page, drafting_site):
    site, source = drafting_site
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, site)
    page.goto(f"{site}/admin/timeline/source/{source.pk}/draft/")
    proposals = page.locator(".drafting-proposals").bounding_box()
    text = page.locator(".drafting-text").bounding_box()
    assert text["y"] >= proposals["y"] + proposals["height"] - 1  # stacked
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifact("drafting-review-phone.png")))
    page.locator("#proposal-p3 .drafting-goto-quote").click()
    handover = page.locator(".drafting-source-text mark.is-current")
    handover.first.wait_for()
    box = handover.first.bounding_box()
    assert 0 <= box["y"] <= 844  # scrolled down to the text
    page.screenshot(path=str(artifact("drafting-review-phone-marked.png")))
    assert page.problems == []


def test_axe_finds_no_serious_problem_on_the_review_page(page, drafting_site):
    site, source = drafting_site
    serve_axe(page, site)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site)
    page.goto(f"{site}/admin/timeline/source/{source.pk}/draft/")
    page.locator("details.drafting-edit").first.evaluate("d => d.open = true")
    violations = blocking_violations(page, site, excluded=DJANGO_ADMIN_CORE)
    assert violations == [], f"axe on the draft review page:\n{report(violations)}"
    page.set_viewport_size({"width": 390, "height": 844})
    violations = blocking_violations(page, site, excluded=DJANGO_ADMIN_CORE)
    assert violations == [], f"axe on the draft review page at 390 px:\n{report(violations)}"


def test_the_real_draft_of_the_seed_article_is_marked_and_passes_axe(
    page, live_server, transactional_db, seed_document
):
    """The extractor's own proposals for the seed article, before any event
    was made of it: every quote of every proposal is marked in the text."""
    from timeline.models import Source

    timeline_import(document={**seed_document, "events": []})
    source = Source.objects.get()
    editor_user("desk")
    site = live_server.url
    serve_axe(page, site)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site)
    page.goto(f"{site}/admin/timeline/source/{source.pk}/draft/")
    proposals = drafting.draft_events(source).proposals
    assert page.locator("article.drafting-proposal").count() == len(proposals) > 0
    for proposal in proposals:
        for quote in proposal.quotes:
            assert page.locator(f"#passage-{quote.start}-{quote.end}").count() == 1
    page.screenshot(path=str(artifact("drafting-review-seed.png")))  # first screen
    violations = blocking_violations(page, site, excluded=DJANGO_ADMIN_CORE)
    assert violations == [], f"axe on the seed's draft:\n{report(violations)}"
    assert page.problems == []


def test_from_a_pasted_article_to_published_events_without_typing_a_date_or_a_quote(
    page, live_server, transactional_db, seed_document
):
    """Issue 11's whole workflow, as an editor does it: the timeline knows
    the seed's actors but has no events and no sources. The editor pastes
    the article as a new Source (its text, date and notes, nothing else
    typed; the admin makes its slug), drafts events from it, accepts every proposal at once and
    publishes the drafts; the public timeline then shows them, each quote
    the article's own characters."""
    from timeline.models import Event, Quote, Source

    article = next(iter(seed_document["sources"]))
    timeline_import(document={**seed_document, "sources": [], "events": []})
    editor_user("desk")
    site = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site)

    page.goto(site + "/admin/timeline/source/add/")
    page.fill("#id_title", "The Trump–Putin call, as pasted")
    page.fill("#id_published_on", "2025-03-19")
    page.fill("#id_notes", article["notes"])
    page.fill("#id_text", article["text"])
    page.click("input[name=_continue]")
    page.get_by_role("link", name="Draft events from this text").click()
    page.wait_for_url("**/draft/")
    proposals = page.locator("article.drafting-proposal")
    proposed = proposals.count()
    assert proposed >= 15
    unknown = proposals.filter(has_text="Unknown: give a date")
    assert unknown.count() == 0, "every proposal of the seed article has a date"
    for box in page.locator(".drafting-accept input[type=checkbox]").all():
        box.check()
    page.locator("button[name=accept_selected]").first.click()
    page.wait_for_url("**/admin/timeline/event/**")
    accepted = Event.objects.filter(publication=Event.Publication.DRAFT)
    assert accepted.count() == proposed

    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "publish_drafts")
    page.click("button[name=index]")
    # The admin's answer, loaded, before the database or the page is read.
    expect(page.locator(".messagelist .success")).to_contain_text("Published")
    published = Event.objects.filter(publication=Event.Publication.PUBLISHED)
    assert published.count() >= 10
    page.screenshot(path=str(artifact("drafting-published.png")))

    source = Source.objects.get()  # its slug made from the title by the admin
    assert source.text == article["text"]
    quotes = Quote.objects.filter(event__in=published)
    assert quotes.count() >= 20
    assert all(source.text[q.start : q.end] == q.text for q in quotes)
    assert {q.status for q in quotes} == {Quote.Status.VERIFIED}
    page.goto(site + "/")
    heading = page.locator("#results-heading")
    assert heading.inner_text().startswith(f"{published.count()} event")
    assert page.get_by_text("today (Wed), with a 175-for-175 exchange").count() >= 1
    assert page.problems == []
