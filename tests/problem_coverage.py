"""A pytest plugin: after a full run of the suite, every registered problem code, and every
registered reason of a code that has them (as "unreadable/encrypted"), must have been produced
by some test. A code that nothing produces is either dead or untested; both are bugs.
(Loaded with `-p tests.problem_coverage` from pyproject's addopts; a partial run — `-k`, a
single file, a failing run — is not judged.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from jc315cli.problems.kinds import KINDS, REASONS
from jc315cli.problems.registry import PRODUCED

TESTS = Path(__file__).resolve().parent


def _whole_suite(session: pytest.Session) -> bool:
    option = session.config.option
    if option.collectonly:  # nothing ran, so nothing was produced: not a run to judge
        return False
    if option.keyword or option.markexpr or getattr(option, "lf", False) or session.testsfailed:
        return False
    args = [Path(a.split("::")[0]).resolve() for a in session.config.args]
    return args in ([], [TESTS], [TESTS.parent])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if exitstatus != 0 or not _whole_suite(session):
        return
    registered = set(KINDS) | {f"{code}/{r}" for code, reasons in REASONS.items() for r in reasons}
    never = sorted(registered - PRODUCED)
    if never:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"problem codes registered but produced by no test: {', '.join(never)}", red=True
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
