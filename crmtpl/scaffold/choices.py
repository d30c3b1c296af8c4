"""The choices a scaffold made: what was picked among which alternatives, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class How(StrEnum):
    """How a choice was settled."""

    only = "only"  # one candidate, or a fixed rule
    best = "best"  # the best-scored candidate; others were close or equal
    given = "given"  # --choose KEY=VALUE (or an answer in the terminal)
    none = "none"  # nothing fits: the part is left out


@dataclass(frozen=True)
class Option:
    """One alternative: the value ``--choose KEY=VALUE`` takes, a label and its score."""

    value: str
    label: str
    score: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class Choice:
    """A decision of the scaffold. ``ambiguous`` when a person should confirm it."""

    key: str
    question: str
    picked: str  # the picked option's value, or "none"
    how: How
    reason: str
    options: tuple[Option, ...] = field(default_factory=tuple)
    ambiguous: bool = False

    @property
    def picked_label(self) -> str:
        """The label of the picked option (its value when it has none)."""
        for option in self.options:
            if option.value == self.picked:
                return option.label
        return self.picked

    def as_json(self) -> dict[str, object]:
        """The choice as ``--format json`` prints it."""
        return {
            "key": self.key,
            "question": self.question,
            "picked": self.picked,
            "picked_label": self.picked_label,
            "how": self.how.value,
            "reason": self.reason,
            "ambiguous": self.ambiguous,
            "options": [
                {"value": o.value, "label": o.label, "score": o.score, "reason": o.reason}
                for o in self.options
            ],
        }


class ChoiceError(Exception):
    """A ``--choose`` value that names no option (the message lists them)."""


def settle(
    key: str,
    question: str,
    options: list[Option],
    chosen: dict[str, str],
    *,
    allow_none: bool = True,
) -> Choice:
    """Pick among ``options`` (best score first): the one ``chosen[key]`` names, else the best.

    ``chosen[key]`` may be an option's value, its number in the list (1-based) or ``none``.
    The choice is ambiguous when the two best have the same score.
    """
    ranked = sorted(options, key=lambda o: -o.score)
    wanted = chosen.get(key)
    if wanted is not None:
        return Choice(
            key,
            question,
            _named(key, wanted, ranked, allow_none),
            How.given,
            f"--choose {key}={wanted}",
            tuple(ranked),
        )
    if not ranked:
        return Choice(key, question, "none", How.none, "no candidate found", ())
    best = ranked[0]
    tied = len(ranked) > 1 and ranked[1].score >= best.score
    if len(ranked) == 1:
        how, reason = How.only, best.reason or "the only candidate"
    else:
        how = How.best
        second = ranked[1]
        reason = (
            f"{best.reason}; tied with {second.label}"
            if tied
            else f"{best.reason} (next: {second.label}, score {second.score:g})"
        )
    return Choice(key, question, best.value, how, reason, tuple(ranked), ambiguous=tied)


def _named(key: str, wanted: str, ranked: list[Option], allow_none: bool) -> str:
    if allow_none and wanted.lower() == "none":
        return "none"
    if wanted.isdigit() and 1 <= int(wanted) <= len(ranked):
        return ranked[int(wanted) - 1].value
    for option in ranked:
        if wanted in (option.value, option.label) or wanted.lower() == option.value.lower():
            return option.value
    listed = "; ".join(f"{n}: {o.value}" for n, o in enumerate(ranked, 1)) or "no candidates"
    extra = " or none" if allow_none else ""
    raise ChoiceError(f"--choose {key}={wanted}: not one of the candidates ({listed}{extra})")
