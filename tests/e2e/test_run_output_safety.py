"""A contact name from the CRM that holds terminal escapes is shown, never obeyed.

The contact is written through the sandbox's API (a real ``run create-contact``), then
looked up: the table and the -vv trace show ``\\x1b`` as text; ``--format json`` stays
plain JSON with the real characters.
"""

from __future__ import annotations

import json
import random
import urllib.request

from tests.e2e.sandbox import Sandbox, crmtpl

SANDBOX = "examples/sandbox.xml"
#: OSC 52 (write the clipboard), OSC 8 (a hyperlink) and ESC [2J (clear the screen).
NASTY = "Eve\x1b]52;c;cm0gLXJmIH4=\x07\x1b]8;;file:///etc/passwd\x07x\x1b]8;;\x07\x1b[2J"


def _created(sandbox: Sandbox, number: str) -> None:
    """A contact written straight through the sandbox's API (the body is proper JSON)."""
    body = {"first_name": NASTY, "last_name": "Mallory", "phone": number, "owner_id": "11"}
    request = urllib.request.Request(
        sandbox.url + "/none/api/v1/contacts",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as answer:
        assert answer.status == 201


def test_escapes_from_the_crm_are_shown_not_obeyed(sandbox: Sandbox) -> None:
    number = f"+1555{random.randrange(10**6, 10**7)}"
    _created(sandbox, number)
    table = crmtpl("run", "lookup", SANDBOX, "--phone", number)
    assert table.returncode == 0, table.stderr
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "Eve\\x1b]52;c;cm0gLXJmIH4=\\x07" in table.stdout
    assert "\\x1b[2J" in table.stdout

    traced = crmtpl("run", "lookup", SANDBOX, "--phone", number, "-vv")
    assert traced.returncode == 0, traced.stderr
    assert "\x1b" not in traced.stderr and "\x1b" not in traced.stdout
    assert "\\x1b]8;;file:///etc/passwd" in traced.stderr or "\\u001b" in traced.stderr

    as_json = crmtpl("run", "lookup", SANDBOX, "--phone", number, "--format", "json")
    records = json.loads(as_json.stdout)["records"]
    assert any(record["FirstName"] == NASTY for record in records)
