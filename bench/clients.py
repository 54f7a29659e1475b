"""The load run's clients: residents completing questionnaires, and the clients of the yardsticks.

Each client has its own aiohttp session (its own cookies, one connection at a time), as one
resident's browser would. All clients of a phase share one PhaseStats.
"""

import asyncio
import html as html_text
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import aiohttp

from bench.answers import answer_page

REQUEST_TIMEOUT = 30  # seconds; a request slower than this counts as an error
MAX_SURVEYS_PER_CLIENT = 100_000  # bounds every loop besides the clock
MAX_REQUESTS_PER_CLIENT = 1_000_000
MAX_ERRORS = 500  # a phase stops early when the server keeps failing
MAX_PAGES = 50
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
RESPONSE_ID = re.compile(r'id="response_id" name="response_id" type="hidden" value="([^"]*)"')
SEALED_DRAFT = re.compile(r'id="draft" name="draft" type="hidden" value="([^"]*)"')
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-z_-]+)="([^"]*)"')


class FlowError(Exception):
    """A request of the resident's flow got an answer a resident would not expect."""


@dataclass
class PhaseStats:
    """What the clients saw in one phase."""

    window_start: float
    stop_at: float
    think: float = 0.0  # mean seconds a client waits before each request; 0 = as fast as it can
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    completed: list[str] = field(
        default_factory=list
    )  # uuids of stored responses, warm-up included
    completed_in_window: int = 0
    requests_of_completed: int = 0  # the requests the surveys completed in this phase took, for the bare mix
    surveys_of_completed: int = 0
    inserted: int = 0  # bare rows the server confirmed, warm-up included
    uncertain: int = 0  # final posts that got no answer: stored or not, the client cannot know
    cut_off: int = 0  # surveys started but left unfinished when the time was up
    largest_page: int = 0
    last_finish: float = 0.0

    def record(self, kind: str, started: float, finished: float) -> None:
        if self.window_start <= started < self.stop_at:
            self.latencies[kind].append(finished - started)
            self.last_finish = max(self.last_finish, finished)

    def fail(self, what: str) -> None:
        self.errors[what.split(":", 1)[0]] += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(what)

    def too_many_errors(self) -> bool:
        return sum(self.errors.values()) >= MAX_ERRORS


async def send(session, method: str, url: str, *, kind: str, stats: PhaseStats, data=None):
    """Return (status, body, headers) of one request, and record its latency (not the think time)."""
    if stats.think:
        await asyncio.sleep(stats.think * random.uniform(0.5, 1.5))
    started = time.perf_counter()
    async with session.request(method, url, data=data, allow_redirects=False) as response:
        body = await response.read()
    stats.record(kind, started, time.perf_counter())
    return response.status, body, response.headers


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise FlowError(what)


def find_csrf(html: str) -> str:
    match = CSRF.search(html)
    expect(match is not None, "no CSRF token on the page")
    return match.group(1) or match.group(2)


def hidden_fields(html: str, action: str) -> list[tuple[str, str]]:
    """Return the hidden inputs of the form that posts to action, as a browser would send them."""
    start = html.find(f'action="{action}"')
    expect(start >= 0, f"no form that posts to {action}")
    end = html.find("</form>", start)
    fields = []
    for tag in INPUT.findall(html, start, end if end >= 0 else len(html)):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields.append((attributes["name"], html_text.unescape(attributes.get("value", ""))))
    return fields


async def complete_survey(session, base: str, definition, stats: PhaseStats) -> bool:
    """Answer one questionnaire as a resident; return True when its response was stored.

    Takes today's flow and the one before issue 14 alike, so both are measured by the same
    client: today Begin answers with page 1 and every page is the answer to the post of the one
    before (docs/drafts.md); before, Begin and each page's post redirected to a GET of the next
    page, and the page carried no sealed draft (answers in progress were kept on the server).
    Each request, a redirect's GET included, is sent and counted once.
    """
    slug = definition.slug
    requests = 0

    async def request(method: str, path: str, kind: str, data=None):
        nonlocal requests
        requests += 1
        return await send(session, method, f"{base}{path}", kind=kind, stats=stats, data=data)

    async def follow(status, body, headers, number: int, what: str):
        """Return the answer that should hold page number: as it is, or the GET it redirects to."""
        if status == 302:
            location = headers.get("Location", "")
            expect(location.endswith(f"/s/{slug}/{number}"), f"{what}: to {location!r}, not page {number}")
            status, body, headers = await request("GET", f"/s/{slug}/{number}", "page_get")
            expect(status == 200, f"page_get: {status} on page {number}")
        expect(
            status == 200 and f'action="/s/{slug}/{number}"'.encode() in body,
            f"{what}: {status}, not page {number}",
        )
        return body

    status, body, _ = await request("GET", f"/s/{slug}/", "intro")
    expect(status == 200, f"intro: {status}")
    # Begin posts the start form's hidden fields (CSRF token, and today also the empty draft,
    # the page, and 'sent' after the same questionnaire was sent in this session).
    data = hidden_fields(body.decode(), f"/s/{slug}/start")
    expect(any(name == "csrf_token" for name, _ in data), "intro: no CSRF token in the start form")
    body = await follow(*await request("POST", f"/s/{slug}/start", "start", data), 1, "start")
    known: dict = {}
    for number in range(1, MAX_PAGES + 1):
        if time.perf_counter() >= stats.stop_at:
            stats.cut_off += 1
            return False  # time is up: nothing was stored, as for an abandoned survey
        html = body.decode()
        stats.largest_page = max(stats.largest_page, len(body))
        match = RESPONSE_ID.search(html)
        expect(match is not None, f"page {number}: no response_id on the page")
        response_id = match.group(1)
        answers, last = answer_page(definition, number, known)
        form = [("csrf_token", find_csrf(html)), ("response_id", response_id)]
        sealed = SEALED_DRAFT.search(html)
        if sealed is not None:  # today's pages; before issue 14 the draft was on the server
            form.append(("draft", sealed.group(1)))
        form.append(("action", "next"))
        form += [(name, value) for name, values in answers.items() for value in values]
        kind = "submit" if last else "page_post"
        started = time.perf_counter()
        try:
            status, body, headers = await request("POST", f"/s/{slug}/{number}", kind, form)
        except (TimeoutError, aiohttp.ClientError):
            stats.uncertain += last
            raise
        if last:
            # Today the thank-you page is the answer to the final post; before, a redirect to it.
            location = headers.get("Location", "")
            thanked = status == 200 and f'data-url="/s/{slug}/klaar"'.encode() in body
            expect(
                thanked or (status == 302 and location.endswith(f"/s/{slug}/klaar")),
                f"submit: {status} {location}",
            )
            stats.completed.append(response_id)
            stats.completed_in_window += stats.window_start <= started < stats.stop_at
            if not thanked:
                status, _, _ = await request("GET", f"/s/{slug}/klaar", "thanks")
                expect(status == 200, f"thanks: {status}")
            stats.requests_of_completed += requests
            stats.surveys_of_completed += 1
            return True
        body = await follow(status, body, headers, number + 1, f"page_post on page {number}")
    raise FlowError(f"page_post: more than {MAX_PAGES} pages")


def open_client_session(limit: int = 1) -> aiohttp.ClientSession:
    """Return a session with its own cookies (one resident's browser), one connection at a time."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit),
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # unsafe: keep cookies for an IP address host
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT),
    )


async def check_flow(base: str, definitions: list) -> list[str]:
    """Complete every questionnaire once, one after the other; return the response ids.

    Raises FlowError at the first unexpected answer, so a broken app stops the run at once
    instead of being hammered for the whole phase.
    """
    stats = PhaseStats(window_start=float("inf"), stop_at=float("inf"))
    async with open_client_session() as session:
        for definition in definitions:
            try:
                await complete_survey(session, base, definition, stats)
            except FlowError as error:
                raise FlowError(f"{definition.slug}: {error}") from error
    return stats.completed


async def run_resident(index: int, base: str, definitions: list, stats: PhaseStats) -> None:
    """One client: complete questionnaires in turn, starting at its own, until time is up."""
    async with open_client_session() as session:
        for turn in range(MAX_SURVEYS_PER_CLIENT):
            if time.perf_counter() >= stats.stop_at or stats.too_many_errors():
                return
            definition = definitions[(index + turn) % len(definitions)]
            try:
                await complete_survey(session, base, definition, stats)
            except FlowError as error:
                stats.fail(str(error))
            except (TimeoutError, aiohttp.ClientError) as error:
                stats.fail(f"connection: {type(error).__name__} {error}")
                await asyncio.sleep(0.05)


async def run_bare_client(index: int, base: str, stats: PhaseStats, *, mix: int = 1) -> None:
    """One client of the bare app: mix - 1 reads (GET /page/<n>), then one durable write, until time is up."""
    async with open_client_session() as session:
        for number in range(MAX_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= stats.stop_at or stats.too_many_errors():
                return
            try:
                if number % mix < mix - 1:
                    status, _, _ = await send(
                        session, "GET", f"{base}/page/{1 + (index + number) % 100}", kind="read", stats=stats
                    )
                    expect(status == 200, f"read: {status}")
                    continue
                status, _, _ = await send(
                    session,
                    "POST",
                    f"{base}/hit",
                    kind="write",
                    stats=stats,
                    data={"client": str(index), "note": f"request {number}"},
                )
                expect(status == 201, f"write: {status}")
                stats.inserted += 1
            except FlowError as error:
                stats.fail(str(error))
            except (TimeoutError, aiohttp.ClientError) as error:
                stats.fail(f"connection: {type(error).__name__} {error}")
                await asyncio.sleep(0.05)


async def run_plain_client(index: int, base: str, stats: PhaseStats) -> None:
    """One client of the plain app: GET /plain until time is up."""
    async with open_client_session() as session:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= stats.stop_at or stats.too_many_errors():
                return
            try:
                status, _, _ = await send(session, "GET", f"{base}/plain", kind="plain", stats=stats)
                expect(status == 200, f"plain: {status}")
            except FlowError as error:
                stats.fail(str(error))
            except (TimeoutError, aiohttp.ClientError) as error:
                stats.fail(f"connection: {type(error).__name__} {error}")
                await asyncio.sleep(0.05)
