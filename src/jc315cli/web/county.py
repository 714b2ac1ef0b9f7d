"""A county's page, opened by its own link: it uploads its own form, sees at once the verdict
and the problems the city would see, and its own rounds. Nothing of any other reporter: every
query here is by the link's own reporter, never by anything the request names."""

from __future__ import annotations

from datetime import date

from flask import Flask, g, redirect, render_template, request
from werkzeug.wrappers import Response

from jc315cli.actions.board import board_now
from jc315cli.collection.session import Session
from jc315cli.console.render import STATUS
from jc315cli.web import views
from jc315cli.web.guards import COUNTY_PREFIX
from jc315cli.web.site import Site


def install(app: Flask, site: Site) -> None:
    choice = site.choice

    @app.get(COUNTY_PREFIX)
    def county_page() -> str:
        link = g.who.link
        with Session(choice) as session:
            board = board_now(session, date.today())
        (row,) = [r for r in board.rows if r.reporter == link.reporter]
        return render_template(
            "county.html",
            row=row,
            reporter=choice.campaign.reporter(link.reporter),
            form=views.form_rows(choice.campaign, row.current),
            status=STATUS,
            last=site.recall(g.who.secret, request.args.get("r", "")),
        )

    @app.post(COUNTY_PREFIX + "/upload")
    def county_upload() -> Response:
        ticket = site.remember(g.who.secret, views.take(site, g.who.link))
        return redirect(f"{COUNTY_PREFIX}?r={ticket}", code=303)
