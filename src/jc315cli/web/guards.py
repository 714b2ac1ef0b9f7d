"""Who may do what, checked before any page runs, and the headers every answer carries. A local
server is an attack surface: another site open in the clerk's browser can send requests to it
(CSRF), a name that resolves to 127.0.0.1 can make the browser treat it as that site (DNS
rebinding), and a county's link could be tried on the clerk's pages. Each check here answers
one of those; tests/test_web_guards.py breaks each once."""

from __future__ import annotations

import hmac
import time
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, request
from werkzeug.wrappers import Response

from jc315cli.web.keys import Who
from jc315cli.web.site import Site

CLERK_COOKIE = "jc315_clerk"
COUNTY_COOKIE = "jc315_county"
COUNTY_PREFIX = "/county"
HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def install(app: Flask, site: Site) -> None:
    @app.before_request
    def _guard() -> Response | None:
        check_host(site)
        county = request.path == COUNTY_PREFIX or request.path.startswith(COUNTY_PREFIX + "/")
        given = request.args.get("k")
        if given is not None and request.method == "GET":
            return sign_in(site, given, county)
        cookie = request.cookies.get(COUNTY_COOKIE if county else CLERK_COOKIE)
        if cookie is None:
            abort(403 if request.cookies.get(CLERK_COOKIE if county else COUNTY_COOKIE) else 401)
        who = site.keys.who(cookie)
        if who is None:
            slow_down(site)
            abort(401)
        if who.is_clerk == county:  # a county's secret on the clerk's pages, or the other way
            abort(403)
        g.who = who
        if request.method not in ("GET", "HEAD"):
            check_post(site, who)
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers[name] = value
        return response


def check_host(site: Site) -> None:
    """DNS rebinding: a page of another name must not reach this server through the browser."""
    if request.host.lower() not in site.hosts:
        abort(421)


def sign_in(site: Site, given: str, county: bool) -> Response:
    """The secret from the address goes into a cookie the page's scripts cannot read and other
    sites cannot send, and the address bar is cleared of it by a redirect."""
    who = site.keys.who(given)
    if who is None:
        slow_down(site)
        abort(401)
    if who.is_clerk == county:
        abort(403)
    response = redirect(COUNTY_PREFIX if county else "/", code=303)
    response.set_cookie(
        COUNTY_COOKIE if county else CLERK_COOKIE,
        who.secret,
        httponly=True,
        samesite="Strict",
        secure=site.secure,
        path="/",
    )
    return response


def slow_down(site: Site) -> None:
    """Wrong secrets wait their turn, one at a time: guessing gets nowhere fast."""
    with site.wrong_lock:
        time.sleep(site.wrong_delay)


def check_post(site: Site, who: Who) -> None:
    """A change comes from this page itself: its origin, and the token of its forms. Under
    `Referrer-Policy: no-referrer` a browser sends `Origin: null` with a form; then the fetch
    metadata must say same-origin."""
    origin = request.headers.get("Origin")
    fetched = request.headers.get("Sec-Fetch-Site")
    if fetched is not None and fetched not in ("same-origin", "none"):
        abort(403)
    if origin == "null":
        if fetched != "same-origin":
            abort(403)
    elif origin is not None:
        parts = urlsplit(origin)
        scheme = "https" if site.secure else "http"
        if parts.scheme != scheme or parts.netloc.lower() not in site.hosts:
            abort(403)
    token = request.headers.get("X-CSRF-Token") or request.form.get("csrf", "")
    if not hmac.compare_digest(token.encode("utf-8", "replace"), site.keys.csrf(who).encode()):
        abort(403)
