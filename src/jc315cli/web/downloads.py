"""A download is a file the collection wrote (下发/, 退回/, 汇总/), chosen by its id in the
listing, never by a path from the request; sent as an attachment, never shown in the page."""

from __future__ import annotations

from flask import Flask, Response, abort, send_file

from jc315cli.web.site import Site
from jc315cli.web.views import catalogue


def install(app: Flask, site: Site) -> None:
    @app.get("/download/<string:key>")
    def download(key: str) -> Response:
        found = [output for output in catalogue(site) if output.id == key]
        if not found:
            abort(404)
        output = found[0]
        return send_file(  # nosniff, as on every answer (guards.py)
            output.path,
            as_attachment=True,
            download_name=output.name,
            mimetype="application/octet-stream",
            max_age=0,
        )
