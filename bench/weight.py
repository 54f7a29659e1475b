"""The weight of a page: its HTML and everything it makes a browser load, plain and gzipped."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.clients import expect, find_csrf, open_client_session

MAX_ASSETS = 50
SW_REGISTER = re.compile(r"""serviceWorker\.register\(\s*['"]([^'"]+)['"]""")
QUOTED_PATH = re.compile(r"""['"](/[A-Za-z0-9_./-]+)['"]""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class AssetParser(HTMLParser):
    """Collects what a page makes a browser load: stylesheets, icons, scripts, images, media."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "link"
            and attrs.get("href")
            and set((attrs.get("rel") or "").lower().split())
            & {
                "stylesheet",
                "icon",
                "preload",
                "modulepreload",
                "manifest",
                "apple-touch-icon",
            }
        ):
            self.assets.append(attrs["href"])
        elif tag in ("script", "img", "source", "audio", "video", "embed") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if attrs.get("srcset"):
            self.assets += [
                part.strip().split()[0] for part in attrs["srcset"].split(",") if part.strip()
            ]


async def measure_page(session, url: str, *, post: dict | None = None) -> dict:
    """Return the page at url and everything it loads, with sizes plain and gzip-compressed.

    With post, the page is the answer to posting it to url (page 1 answers Begin). A service
    worker the page registers, and the paths it precaches, are followed too but summed apart:
    a browser fetches them in the background on the first visit.
    """
    origin = urlsplit(url).netloc
    files, external, skipped, queue, seen = [], [], [], [(url, False)], set()
    while queue and len(seen) < MAX_ASSETS:
        target, background = queue.pop(0)
        if target in seen:
            continue
        seen.add(target)
        if urlsplit(target).netloc != origin:
            external.append(target)
            continue
        method, data = ("POST", post) if post is not None and target == url else ("GET", None)
        async with session.request(
            method, target, data=data, headers={"Accept-Encoding": "identity"}, allow_redirects=False
        ) as response:
            body = await response.read()
            kind = response.headers.get("Content-Type", "").split(";")[0]
        if background and response.status != 200:
            skipped.append(f"{urlsplit(target).path} ({response.status})")  # a prefix, not a file
            continue
        async with session.request(
            method, target, data=data, headers={"Accept-Encoding": "gzip, br"}, allow_redirects=False
        ) as response:
            served_compressed = response.headers.get("Content-Encoding", "") != ""
        files.append(
            {
                "url": urlsplit(target).path,
                "type": kind,
                "status": response.status,
                "bytes": len(body),
                "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
                "served_compressed": served_compressed,
                "service_worker": background,
            }
        )
        queue += [
            (urljoin(target, href), sw) for href, sw in find_references(kind, body, background)
        ]
    direct = [f for f in files if not f["service_worker"]]
    worker = [f for f in files if f["service_worker"]]
    return {
        "files": files,
        "external": external,
        "skipped": skipped,
        "bytes": sum(f["bytes"] for f in direct),
        "gzip_bytes": sum(f["gzip_bytes"] for f in direct),
        "service_worker_bytes": sum(f["bytes"] for f in worker),
        "service_worker_gzip_bytes": sum(f["gzip_bytes"] for f in worker),
    }


def find_references(kind: str, body: bytes, background: bool) -> list[tuple[str, bool]]:
    """Return (href, fetched in the background) for what a fetched file makes the browser load."""
    text = body.decode(errors="replace")
    if kind == "text/html":
        parser = AssetParser()
        parser.feed(text)
        found = [(href, background) for href in parser.assets]
    elif kind == "text/css":
        found = [(m.group(1) or m.group(2), background) for m in CSS_URL.finditer(text)]
    elif "javascript" in kind:
        found = [(href, True) for href in SW_REGISTER.findall(text)]
        if background:  # a service worker: the same-origin paths it names are its precache
            # (a path that is not a file, such as a prefix it matches, is skipped when fetched)
            found += [(href, True) for href in QUOTED_PATH.findall(text)]
    else:
        found = []
    return [(href, sw) for href, sw in found if not href.startswith("data:")]


async def measure_page_weights(base: str, definitions: list) -> dict:
    """Return the weight of the intro and the first page of every questionnaire."""
    weights = {}
    async with open_client_session(limit=4) as session:
        for definition in definitions:
            slug = definition.slug
            intro = await measure_page(session, f"{base}/s/{slug}/")
            async with session.get(f"{base}/s/{slug}/") as response:
                token = find_csrf(await response.text())
            async with session.post(
                f"{base}/s/{slug}/start", data={"csrf_token": token}, allow_redirects=False
            ) as response:
                expect(response.status in (200, 302), f"start: {response.status}")
                redirected = response.status == 302
            if redirected:  # before issue 14's second step: Begin, then a GET of page 1
                first = await measure_page(session, f"{base}/s/{slug}/1")
            else:  # page 1 is the answer to Begin
                first = await measure_page(session, f"{base}/s/{slug}/start", post={"csrf_token": token})
            async with session.post(
                f"{base}/s/{slug}/stop", data={"csrf_token": token}, allow_redirects=False
            ):
                pass
            for page in (intro, first):
                for file in page["files"]:
                    expect(
                        file["status"] == 200,
                        f"page weight: {file['url']} answered {file['status']}",
                    )
            weights[slug] = {"intro": intro, "first_page": first}
    return weights
