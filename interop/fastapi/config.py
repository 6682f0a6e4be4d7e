"""The one reader of the environment: every setting is checked here, so a misconfigured fixture
exits at startup with a message instead of answering 500 to the first request."""

import os
import sys

STYLES = ("jose-hs256", "pyjwt-hs256", "pyjwt-jwks")


def _fail(message: str) -> None:
    sys.exit(f"interop/fastapi: {message}")


TOKEN_STYLE = os.getenv("TOKEN_STYLE", "")
if TOKEN_STYLE not in STYLES:
    _fail(f"TOKEN_STYLE must be one of {', '.join(STYLES)} (got {TOKEN_STYLE!r})")

# The seeds read BETTER_AUTH_SECRET; JWT_SECRET lets a test point at another secret without
# renaming the variable Tasklane itself uses.
SECRET = os.getenv("JWT_SECRET") or os.getenv("BETTER_AUTH_SECRET")
ISSUER = os.getenv("JWT_ISSUER") or None
AUDIENCE = os.getenv("JWT_AUDIENCE") or None
JWKS_URL = os.getenv("JWKS_URL") or None

if TOKEN_STYLE in ("jose-hs256", "pyjwt-hs256") and not SECRET:
    _fail(f"{TOKEN_STYLE} needs BETTER_AUTH_SECRET (or JWT_SECRET)")
# python-jose rejects a token carrying `aud` when no audience is passed, and PyJWT skips the
# issuer check when issuer is None: without these every token would fail, or pass unchecked.
if not AUDIENCE:
    _fail(f"{TOKEN_STYLE} needs JWT_AUDIENCE")
if TOKEN_STYLE != "jose-hs256" and not ISSUER:
    _fail(f"{TOKEN_STYLE} needs JWT_ISSUER")
if TOKEN_STYLE == "pyjwt-jwks" and not JWKS_URL:
    _fail("pyjwt-jwks needs JWKS_URL")

DATABASE_URL = os.getenv("DATABASE_URL", "")
if not DATABASE_URL:
    _fail("DATABASE_URL is required, e.g. postgresql://postgres@127.0.0.1:5432/tasklane_interop")
# SQLAlchemy 1.4 no longer knows the postgres:// scheme that Node drivers and Heroku-style URLs use.
if DATABASE_URL.startswith("postgres://"):
    DATABASE_URL = "postgresql://" + DATABASE_URL[len("postgres://"):]
