"""Writes to a live CRM: when to ask, what to show, and which contact a write goes to.

``create-contact``, ``call-journal`` and ``ticket`` change records in a real CRM. Before
such a request is sent, the user sees what will be written (the rendered body, secrets
masked), which values are crmtpl's samples rather than theirs, and, when the call's number
matched several contacts, which one was chosen. In a terminal the CLI asks; ``--yes``
skips the question; with no terminal and no ``--yes`` nothing is sent at all. The CLI
owns the prompt; this module owns the decision and the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from crmtpl.controlchars import make_visible
from crmtpl.errors import CrmtplError, ExitCode, UsageError
from crmtpl.render.request import RenderedRequest
from crmtpl.secrets import Masker, redact_url
from crmtpl.variables import Source, VariableContext

#: The scenarios whose requests change records in the CRM.
WRITE_SCENARIOS = frozenset({"CreateNewContact", "CallJournal", "CreateNewTicket"})
#: The subcommand of each write scenario (for messages).
WRITE_COMMANDS = {
    "CreateNewContact": "create-contact",
    "CallJournal": "call-journal",
    "CreateNewTicket": "ticket",
}
#: The other contacts listed when several match (the rest are counted).
MAX_OTHERS_LISTED = 10
#: Sample values that have a flag of their own.
_FLAG_OF = {
    "CallerNumber": "--caller-number",
    "CalleeNumber": "--callee-number",
    "Communication_Type": "--direction",
}


class WriteGate(Enum):
    """What to do before a write: send it, ask first, or refuse to send anything."""

    SEND = "send"
    ASK = "ask"
    REFUSE = "refuse"


def write_gate(
    scenario_id: str, *, dry_run: bool, replay: bool, yes: bool, interactive: bool
) -> WriteGate:
    """The gate of one run.

    Not a write, ``--dry-run`` or ``--replay`` (nothing reaches the CRM), or ``--yes``:
    send. A terminal: ask. Otherwise: refuse before anything is sent.
    """
    if scenario_id not in WRITE_SCENARIOS or dry_run or replay or yes:
        return WriteGate.SEND
    return WriteGate.ASK if interactive else WriteGate.REFUSE


def refusal(scenario_id: str) -> UsageError:
    """The error of a write refused because nobody can confirm it (exit 2)."""
    command = WRITE_COMMANDS.get(scenario_id, scenario_id)
    return UsageError(
        f"run {command} writes to the live CRM and stdin is not a terminal, so crmtpl cannot "
        "ask you to confirm: nothing was sent",
        hint="add --yes (-y) to write without asking, or --dry-run to see the request",
    )


class WriteDeclined(CrmtplError):
    """The user answered no: nothing was written."""

    exit_code = ExitCode.FINDINGS


@dataclass(frozen=True)
class SampleValue:
    """A call value crmtpl filled in with its sample because the user gave none."""

    name: str
    value: str

    @property
    def how_to_give(self) -> str:
        """The flag (or file) that gives this value for real."""
        flag = _FLAG_OF.get(self.name)
        if flag is not None:
            return f"give {flag} or --call FILE"
        return f"give --call FILE or --var {self.name}=..."


def samples_used(context: VariableContext, names: Iterable[str]) -> list[SampleValue]:
    """The sample values among ``names`` (the variables a request read), in name order."""
    found = []
    for name in sorted(set(names)):
        variable = context.get(name)
        if variable is None or variable.source is not Source.SAMPLE or variable.value == "":
            continue
        found.append(SampleValue(name, variable.value))
    return found


@dataclass(frozen=True)
class ContactChoice:
    """Several contacts matched the call's number: the one a journal or ticket goes to."""

    number: str
    chosen: dict[str, str]
    others: tuple[dict[str, str], ...]

    @property
    def message(self) -> str:
        """Which contact was chosen, why, and that the rule is an uncertainty."""
        return (
            f"{len(self.others) + 1} contacts match the call's number {self.number!r}; "
            f"using the first, {describe_contact(self.chosen)}: like the PBX, crmtpl takes "
            "the first record of the first contact type in template order (the PBX's rule "
            "is not documented: an uncertainty)"
        )

    @property
    def others_text(self) -> str:
        """The other matches, at most :data:`MAX_OTHERS_LISTED`."""
        shown = [describe_contact(c) for c in self.others[:MAX_OTHERS_LISTED]]
        rest = len(self.others) - len(shown)
        more = f"; and {rest} more" if rest > 0 else ""
        return f"the others: {'; '.join(shown)}{more}"

    @property
    def hint(self) -> str:
        """How to choose another one."""
        return "choose the contact with --contact-id ID --contact-type TYPE"


def contact_choice(number: str, contacts: Sequence[dict[str, str]]) -> ContactChoice | None:
    """A :class:`ContactChoice` when more than one contact matched, else None."""
    if len(contacts) < 2:
        return None
    return ContactChoice(number, dict(contacts[0]), tuple(dict(c) for c in contacts[1:]))


def describe_contact(contact: dict[str, str]) -> str:
    """``1001 (contacts) Alice Lee``: id, type and name, one line, made safe."""
    name = " ".join(p for p in (contact.get("FirstName"), contact.get("LastName")) if p)
    kind = contact.get("ContactSyncType", "")
    text = contact.get("ContactsId", "") + (f" ({kind})" if kind else "")
    return make_visible(f"{text} {name}".strip(), one_line=True)


@dataclass
class WritePreview:
    """One write request about to be sent, and what the user should know about it."""

    request: RenderedRequest
    samples: list[SampleValue] = field(default_factory=list)
    choice: ContactChoice | None = None

    def text(self, masker: Masker) -> str:
        """The preview for people: the request line, the body, the samples, the contact."""
        request = self.request
        url = make_visible(masker.text(redact_url(request.url)), one_line=True)
        lines = [f"about to write to the CRM: {request.method} {url}"]
        if request.body:
            body = make_visible(masker.text(request.body))
            lines.extend(f"  {line}" for line in body.splitlines())
        else:
            lines.append("  (no body)")
        if self.samples:
            lines.append("sample values used (not from this call):")
            lines.extend(
                f"  {s.name}={make_visible(masker.text(s.value), one_line=True)} ({s.how_to_give})"
                for s in self.samples
            )
        if self.choice is not None:
            lines.append(self.choice.message)
            lines.append(f"  {self.choice.others_text}")
            lines.append(f"  {self.choice.hint}")
        return "\n".join(lines) + "\n"
