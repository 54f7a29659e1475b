"""Every error becomes a short page in the resident's language, with a way back."""

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..db import database
from ..errors import NotFound

MESSAGES = {
    400: (_l("Er ging iets mis"), _l("De pagina kreeg gegevens die ze niet begrijpt. Probeer het opnieuw.")),
    401: (_l("Log eerst in"), _l("Deze pagina is alleen voor medewerkers van de stad.")),
    403: (_l("Geen toegang"), _l("U mag deze pagina niet openen.")),
    404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet, of de vragenlijst is gesloten.")),
    405: (_l("Dat gaat niet"), _l("Deze pagina werkt niet op deze manier. Ga terug en probeer opnieuw.")),
    413: (_l("Te veel tekst"), _l("U stuurde te veel tekst in één keer. Maak uw antwoord korter.")),
    429: (_l("Even wachten"), _l("Te veel pogingen na elkaar. Wacht even en probeer dan opnieuw.")),
    500: (_l("Er ging iets mis"), _l("Dit is onze fout. Uw antwoorden tot nu toe zijn bewaard. Probeer het straks opnieuw.")),
}
# A body up to this size that was refused as too large is read and dropped, so the kept-alive
# connection can carry the client's next request; a larger one closes the connection.
OVERSIZE_DRAIN_BYTES = 1024 * 1024
CSRF_MESSAGE = (
    _l("Deze pagina was te lang open"),
    _l("Voor uw veiligheid moet u de pagina opnieuw openen. Uw vorige antwoorden zijn bewaard."),
)


def render_error(code: int, title, message):
    """Return the error page with its status code."""
    return render_template("error.html", code=code, title=title, message=message), code


def _drop_unread_body() -> bool:
    """Read and drop a refused request body of at most OVERSIZE_DRAIN_BYTES; return True when it is gone."""
    length = request.content_length
    if length is None or length > OVERSIZE_DRAIN_BYTES:
        return False
    stream = request.environ["wsgi.input"]
    while length > 0:
        chunk = stream.read(min(length, 64 * 1024))
        if not chunk:
            return False
        length -= len(chunk)
    return True


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, *CSRF_MESSAGE)

    @app.errorhandler(NotFound)
    def not_found(error):
        return render_error(404, *MESSAGES[404])

    @app.errorhandler(HTTPException)
    def http_error(error):
        title, message = MESSAGES.get(error.code, MESSAGES[400])
        body, code = render_error(error.code or 400, title, message)
        if code == 413 and not _drop_unread_body():
            # The rest of the body still waits on the connection: it cannot carry another request.
            return body, code, {"Connection": "close"}
        return body, code

    @app.errorhandler(Exception)
    def server_error(error):
        app.logger.exception("unhandled error")
        if not database.is_closed() and database.in_transaction():
            database.rollback()
        return render_error(500, *MESSAGES[500])
