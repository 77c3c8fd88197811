"""CSRF tokens for forms, bound to the visitor's (pre-)session id (web/sessies.py).

The token is an HMAC of the session id under the secret key: never empty, different for every
visitor, and unknown to another site. A request without a session id it was given earlier, or
without a token, or with a token of another session, is refused with 403. Checked in constant
time.
"""

import base64
import hmac

from fastapi import Depends, HTTPException, Request

from stelsel.config import get_settings
from stelsel.web.sessies import staat

VERLOPEN = "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."


def _token(sessie_id: str) -> str:
    mac = hmac.new(get_settings().secret_key.encode(), b"csrf:" + sessie_id.encode(), "sha256")
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def csrf_token(request: Request) -> str:
    """The token for the forms on this page; makes sure the visitor gets the session cookie."""
    s = staat(request)
    if s is None:
        raise RuntimeError("csrf_token needs the Sessies middleware")
    s.nodig = True
    return _token(s.id)


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse (403) unless the token belongs to the session the request came with."""
    s = staat(request)
    if s is None or not s.uit_cookie or not token:
        raise HTTPException(403, VERLOPEN)
    if not hmac.compare_digest(_token(s.id).encode(), token.encode("utf-8", "replace")):
        raise HTTPException(403, VERLOPEN)


async def formulier_csrf(request: Request) -> None:
    """Dependency of a form post: its `csrf` field must belong to the session (else 403). It runs
    before the route's own dependencies (who is logged in) and its body."""
    token = (await request.form()).get("csrf")
    check_csrf(request, token if isinstance(token, str) else None)


# `@router.post(path, dependencies=MET_CSRF)`: a form post that checks its CSRF token.
MET_CSRF = [Depends(formulier_csrf)]
