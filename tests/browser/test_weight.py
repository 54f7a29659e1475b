"""What a tablet on a weak connection has to load: the first survey page within 60 KB, and
everything the service worker keeps for one survey within 200 KB.

The figures are printed (pytest -s) and kept in docs/fieldwork.md.
"""

import json

from .conftest import Tablet, sqlite_only
from .test_kiosk import start_kiosk

SLUGS = ["stedelijke-dienstverlening", "ocmw-dienstverlening", "werk", "samenleven", "vrije-tijd", "onderwijs"]
PAGE_BUDGET = 60 * 1024
OFFLINE_BUDGET = 200 * 1024
CACHE_CONTENTS = """async () => {
    const rows = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const response = await cache.match(request);
            let headers = 0;
            response.headers.forEach((value, key) => { headers += key.length + value.length + 4; });
            rows.push([name, new URL(request.url).pathname, (await response.arrayBuffer()).byteLength + headers]);
        }
    }
    return rows;
}"""


def first_page_weight(tablet, slug, language):
    """Return {url: bytes} of everything the first page of a survey loads, the HTTP cache off."""
    page = tablet.page
    page.goto(f"/s/{slug}/?lang={language}")
    cdp = tablet.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    loaded = {}

    def finished(request):
        sizes = request.sizes()
        loaded[request.url] = loaded.get(request.url, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.on("requestfinished", finished)
    page.click("form[action$='/start'] button")
    page.wait_for_selector("form#answers")
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", finished)
    # The service worker is blocked here, so its script is not in the list: count it as well.
    worker = page.request.get("/sw.js")
    loaded["/sw.js"] = len(worker.body()) + sum(len(k) + len(v) + 4 for k, v in worker.headers.items())
    return loaded


@sqlite_only
def test_the_first_survey_page_with_everything_it_loads_stays_within_60_kb(chromium, live_server):
    figures = {}
    for language in ("nl", "ar"):
        tablet = Tablet(chromium, live_server, service_workers="block")
        try:
            for slug in SLUGS:
                figures[f"{slug} ({language})"] = first_page_weight(tablet, slug, language)
        finally:
            tablet.close()
    totals = {label: sum(parts.values()) for label, parts in figures.items()}
    heaviest = max(totals, key=totals.get)
    print("first page weight, bytes:", json.dumps(totals, indent=1))
    print("heaviest:", heaviest, json.dumps(figures[heaviest], indent=1))
    assert all("/static/survey.css" in "".join(parts) for parts in figures.values())
    assert totals[heaviest] <= PAGE_BUDGET, (heaviest, totals[heaviest])


@sqlite_only
def test_what_the_service_worker_keeps_for_one_survey_stays_within_200_kb(chromium, live_server):
    # A resident's own phone: one survey in one language.
    tablet = Tablet(chromium, live_server)
    try:
        tablet.page.goto("/s/werk/?lang=ar")
        tablet.page.wait_for_selector("body[data-offline=ready]")
        one_language = tablet.page.evaluate(CACHE_CONTENTS)
    finally:
        tablet.close()
    # A kiosk tablet: every survey of the kiosk in all nine languages.
    tablet = Tablet(chromium, live_server)
    try:
        start_kiosk(tablet.page, SLUGS)
        tablet.page.wait_for_selector("body[data-offline=ready]")
        kiosk = tablet.page.evaluate(CACHE_CONTENTS)
    finally:
        tablet.close()

    shared = sum(size for cache, path, size in kiosk if cache.startswith("assets-"))
    per_survey = {
        slug: shared + sum(size for cache, path, size in kiosk if path.startswith(f"/offline/{slug}/"))
        for slug in SLUGS
    }
    phone = sum(size for _, _, size in one_language)
    print("service worker cache, bytes: shared assets", shared, "| werk in Arabic only", phone)
    print("per survey in nine languages:", json.dumps(per_survey, indent=1))
    assert len([path for _, path, _ in kiosk if path.startswith("/offline/werk/")]) == 9
    assert phone <= OFFLINE_BUDGET
    assert max(per_survey.values()) <= OFFLINE_BUDGET, per_survey
