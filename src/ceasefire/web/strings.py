"""The sentences the page scripts show (the map's list, the time bar, the live ticker),
marked here for translation and handed to the scripts translated, as JSON."""

from __future__ import annotations

from ceasefire.domain.words import N_
from ceasefire.web.i18n import Language
from ceasefire.web.labels import translated

SCRIPT_STRINGS = {
    "loading": N_("Loading…"),
    "shown_of": N_("Incidents in view: %(total)s (the latest %(shown)s listed)"),
    "none_here": N_("No incident here matches the filters."),
    "play": N_("Play"),
    "pause": N_("Pause"),
    "incident": N_("Incident %(id)s"),
    "reports": N_("Reports: %(count)s"),
    "open_file": N_("Open the incident file"),
    "new_incident": N_("Incident %(id)s: %(what)s"),
    "changed": N_("Something changed: %(what)s"),
    "connected": N_("Live"),
    "disconnected": N_("Reconnecting…"),
    "cluster": N_("Incidents here: %(count)s"),
    "regime": N_("Regime"),
    "state": N_("State at the selected time"),
    "window": N_("From %(start)s to %(end)s"),
    "open_ended": N_("From %(start)s, open-ended"),
    "extended": N_("Extended %(count)s times"),
    "ended_at": N_("Ended early:"),
    "restriction": N_("Monitors denied access"),
    "denied_by": N_("Denied by %(who)s"),
    "joined_on": N_("Joined %(regime)s on %(date)s"),
    "left_on": N_("Left on %(date)s"),
    "through": N_("Through: %(channel)s"),
    "held_by": N_("Held by %(who)s"),
    "held_from": N_("From %(start)s to %(end)s"),
    "held_since": N_("From %(start)s"),
    "source": N_("Source: %(source)s"),
    "no_status": N_("No status recorded"),
    "status_since": N_("%(status)s since %(date)s"),
    "access_requests": N_(
        "Requests: %(approved)s approved, %(denied)s denied, %(pending)s pending"
    ),
    "last_delivery": N_("Last delivery: %(date)s"),
    "no_delivery": N_("No delivery recorded"),
    "people_reached": N_("People reached: %(count)s"),
    "click_to_place": N_("Click where it happened, or press Enter to put it at the centre"),
    "updated": N_("Updated"),
    "layers": N_("Layers"),
    "zoom_in": N_("Zoom in"),
    "zoom_out": N_("Zoom out"),
    "run_finding": N_("Finding the reports that give it…"),
    "run_progress": N_("Matching again the reports that give it: %(share)s done."),
    "run_failing": N_(
        "The server could not finish matching again the reports that give it; it keeps "
        "trying, and its log says why."
    ),
    "run_done": N_("Every report that gives it was matched again."),
    "run_changed": N_(
        "Every report that gives it was matched again; incidents your party reads that "
        "changed: %(count)s."
    ),
}


def script_strings(language: Language) -> dict[str, object]:
    """The scripts' sentences and every label group, in the reader's language."""
    found: dict[str, object] = {key: language.gettext(text) for key, text in SCRIPT_STRINGS.items()}
    found["labels"] = translated(language)
    found["language"] = language.code
    return found
