"""How large a campaign may be, and which dates jc315 accepts, in one place.

The bounds are far above any real campaign (晋城市: 7 reporters, 12 items, no text over 25
characters; a province lists a dozen cities) and low enough that no campaign file can crash a
command or keep it busy: the merged report gives each reporter a column (a sheet has 16,384),
and every text ends up in forms, messages and file names. A campaign file is refused at load
when it goes beyond one, with the field named (campaign_file.py); README's “活动配置文件的上限”
lists them. Keep the two in step.
"""

from __future__ import annotations

from datetime import date

# Every date in a campaign and on the command line (--date, --deadline) lies in these years,
# as campaign.year does: nothing is ever computed near the ends of Python's calendar.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

MAX_BYTES = 1 << 20  # the file: a real one is a few KB; anything larger is the wrong file
MAX_REPORTERS = 500  # [[reporters]]
MAX_ITEMS = 200  # [[form.items]]
MAX_RULES = 200  # [[form.rules]]
MAX_LIST = 50  # any other list: co_organizers, aliases, measures, suffixes, materials, words…
MAX_NAME = 60  # a reporter's name, short_name or each alias: file names are made of them
MAX_TITLE = 40  # form.title: with the year and a name it makes each generated file's name
MAX_TEXT = 100  # any other text: version, organizer, contact, labels, categories, phrases…
MAX_SENTENCE = 300  # a rule's message or hint
MAX_EXPRESSION = 2000  # a rule's left or right side: #{1} + #{2} + … over many items
MAX_DEPTH = 8  # tables and lists inside one another, the file itself counted (real: 5)

LISTS = {"reporters": MAX_REPORTERS, "form.items": MAX_ITEMS, "form.rules": MAX_RULES}
TEXTS = {
    "form.title": MAX_TITLE,
    "reporters.*.name": MAX_NAME,
    "reporters.*.short_name": MAX_NAME,
    "reporters.*.aliases.*": MAX_NAME,
    "form.rules.*.message": MAX_SENTENCE,
    "form.rules.*.hint": MAX_SENTENCE,
    **{
        f"form.rules.*.{part}.{side}": MAX_EXPRESSION
        for part in ("when", "check")
        for side in ("left", "right")
    },
}


def list_limit(pattern: str) -> int:
    """How many entries the list at `pattern` (a field path, list positions written *) may hold."""
    return LISTS.get(pattern, MAX_LIST)


def text_limit(pattern: str) -> int:
    """How many characters the text at `pattern` may hold."""
    return TEXTS.get(pattern, MAX_TEXT)


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
