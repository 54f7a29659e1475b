"""Flask extensions, created unbound here and bound to an app in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
# Counts login attempts per address in memory only; nothing of it is stored with a response.
limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=True)
