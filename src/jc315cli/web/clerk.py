"""The clerk's pages: the board (the one `jc315 status` shows, from the same code), a page per
reporter, and the buttons of the process. Every button calls the action the command calls;
every result is kept for the next page (post, redirect, get), so a reload repeats nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, abort, g, redirect, render_template, request
from werkzeug.wrappers import Response

from jc315cli.actions.board import board_now
from jc315cli.collection.board import DOUBTFUL, Board
from jc315cli.collection.next_step import next_step
from jc315cli.collection.session import Session
from jc315cli.console.render import STATUS
from jc315cli.console.render_status import deadline_line
from jc315cli.problems.errors import Jc315Error
from jc315cli.web import jobs, views
from jc315cli.web.site import Site


def install(app: Flask, site: Site) -> None:
    choice = site.choice

    @app.get("/")
    def board_page() -> str:
        with Session(choice) as session:
            board = board_now(session, date.today())
            notices = [site.unpath(n) for n in session.notices]
        return render_template(
            "board.html",
            board=board,
            deadline=deadline_line(board),
            next_words=next_step(board),
            doubts=doubts(board),
            links=views.links(site),
            files=views.catalogue(site),
            last=site.recall(g.who.secret, request.args.get("r", "")),
            job=site.job,
            notices=notices,
        )

    @app.get("/reporter/<int:index>")
    def reporter_page(index: int) -> str:
        reporters = choice.campaign.reporters
        if not 0 <= index < len(reporters):
            abort(404)
        with Session(choice) as session:
            board = board_now(session, date.today())
            uploads = session.ledger.uploads(reporters[index].name) if session.ledger else []
        row = board.rows[index]
        return render_template(
            "reporter.html",
            row=row,
            form=views.form_rows(choice.campaign, row.current),
            status=STATUS,
            uploads=uploads,
        )

    @app.post("/upload")
    def upload() -> Response:
        return shown(site, views.take(site, None))

    @app.post("/confirm")
    def confirm() -> Response:
        from jc315cli.actions.confirm import check_reason, confirm_value

        reporter, item = request.form.get("reporter", ""), request.form.get("item", "")
        reason = request.form.get("reason", "")
        said = check_reason(reason)
        if said is None:
            with site.intake_lock, Session(choice, [choice.folder("returned") or site.root]) as s:
                try:
                    done = confirm_value(s, reporter, item, reason, date.today())
                    said = (
                        f"已记录核实：第 {done.item.id} 项 {done.item.label}：{done.record.reason}"
                    )
                except Jc315Error as error:
                    said = site.unpath(error.message)
        return shown(site, {"message": said})

    @app.post("/merge")
    def merge() -> Response:
        jobs.start_merge(site)
        return redirect("/job", code=303)

    @app.get("/job")
    def job() -> str:
        return render_template("job.html", job=site.job, files=views.catalogue(site))

    @app.post("/feedback")
    def feedback() -> Response:
        return shown(site, {"message": jobs.feedback(site)})

    @app.post("/generate")
    def generate() -> Response:
        return shown(site, {"message": jobs.generate(site)})

    @app.post("/summary")
    def summary() -> Response:
        return shown(site, {"message": jobs.summary(site)})

    @app.post("/revoke")
    def revoke() -> Response:
        name = request.form.get("reporter", "")
        if name not in {r.name for r in choice.campaign.reporters}:
            abort(400)
        with Session(choice) as session:
            done = site.keys.revoke(session, name)
        short = choice.campaign.reporter(name).short_name
        said = f"已撤销{short}的旧链接，新链接见下表" if done else "台账无法写入，链接未更换"
        return shown(site, {"message": said}, "#links")


def shown(site: Site, result: dict[str, Any], anchor: str = "") -> Response:
    """To the board, where this result is shown once (post, redirect, get)."""
    return redirect(f"/?r={site.remember(g.who.secret, result)}{anchor}", code=303)


def doubts(board: Board) -> list[dict[str, Any]]:
    """The values waiting for 核实, each with what the form says about it."""
    found = []
    for row in board.rows:
        if row.state != DOUBTFUL or row.current is None:
            continue
        for problem in row.current.problems:
            if problem.pending and problem.item:
                found.append({"row": row, "problem": problem})
    return found
