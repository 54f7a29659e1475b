"""The council report as files: report.html as rendered, report.pdf printed from it by WeasyPrint.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0, libpangoft2-1.0-0; .ci/run
installs them). The folder is written under a temporary name and renamed when both files are
complete, so a failed run never leaves half a report behind.
"""

import os
import shutil
from datetime import datetime
from pathlib import Path


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Return the PDF of an HTML document (its styles inline or reachable from base_url)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only reports need it

    return HTML(string=html, base_url=base_url).write_pdf()


def write_report(html: str, destination: Path, slug: str, *, now: datetime | None = None) -> Path:
    """Write report.html and report.pdf to destination/slug/<date-time>/ and return that folder."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    parent = Path(destination) / slug
    parent.mkdir(parents=True, exist_ok=True)
    folder = parent / stamp
    partial = parent / f".{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        (partial / "report.html").write_text(html, encoding="utf-8")
        (partial / "report.pdf").write_bytes(html_to_pdf(html))
        for path in partial.iterdir():
            os.chmod(path, 0o640)  # figures on residents' answers: not for every account on the machine
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder
