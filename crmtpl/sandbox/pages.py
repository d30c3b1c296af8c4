"""The sandbox's few HTML pages: the index, the OAuth2 consent page, record pages.

Every value is escaped; the pages need no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from crmtpl.sandbox.settings import (
    API_PATH,
    AUTH_PREFIXES,
    CREDENTIALS,
    DEFAULT_PORT,
    ENDPOINTS,
    HOST,
)
from crmtpl.sandbox.tokens import AuthorizationRequest

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;
color:#1d2733;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #dde3ea;vertical-align:top}
code{background:#f1f4f8;padding:0 .25rem;border-radius:3px}
.muted{color:#5f6b7a}.box{border:1px solid #dde3ea;border-radius:8px;padding:1rem 1.5rem}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:6px;
border:1px solid #8aa;cursor:pointer}button.approve{background:#1f6feb;color:#fff}
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{lines}</table>"


@dataclass(frozen=True)
class IndexData:
    """What the index page shows."""

    base_url: str
    token_ttl: int
    contacts: list[dict[str, Any]]
    leads: list[dict[str, Any]]
    users: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    tickets: list[dict[str, Any]]


def index(data: IndexData) -> str:
    """The start page: endpoints, credentials, seeded numbers, the latest writes."""
    base = escape(data.base_url)
    prefixes = _table(
        ["prefix", "base URL", "credential", "example template"],
        [
            [
                f"<code>{escape(p.name)}</code>",
                f"<code>{base}/{escape(p.name)}{API_PATH}</code>",
                escape(p.credential),
                escape(p.example_template),
            ]
            for p in AUTH_PREFIXES
        ],
    )
    endpoints = _table(
        ["method", "path (after /PREFIX/api/v1)", "what"],
        [[escape(e.method), f"<code>{escape(e.path)}</code>", escape(e.what)] for e in ENDPOINTS],
    )
    oauth = _table(
        ["endpoint", "what"],
        [
            [
                f"<code>{base}/bearer/oauth/token</code>",
                "client credentials token (GET or POST; query, form or JSON parameters;"
                f" access tokens live {data.token_ttl} s)",
            ],
            [
                f"<code>{base}/oauth/authorize</code>",
                "authorization code consent page (PKCE S256 or plain)",
            ],
            [f"<code>{base}/oauth/token</code>", "authorization_code and refresh_token grants"],
        ],
    )
    people = _table(
        ["type", "id", "name", "company", "numbers", "search"],
        [
            [
                escape(person["type"]),
                _person_link(person, "contacts" if person["type"] == "contact" else "leads"),
                escape(person["name"]),
                escape(person["company"]),
                escape(", ".join(p["number"] for p in person.get("phones", []))),
                _search_link(base, person),
            ]
            for person in data.contacts + data.leads
        ],
    )
    users = _table(
        ["id", "name", "email", "extension"],
        [
            [
                str(u["id"]),
                escape(f"{u['first_name']} {u['last_name']}"),
                escape(u["email"]),
                escape(u["extension"]),
            ]
            for u in data.users
        ],
    )
    try_command = f"crmtpl run lookup examples/sandbox.xml --phone 5503302{_base_url_flag(base)}"
    body = f"""
<h1>crmtpl sandbox</h1>
<p>A small CRM and helpdesk on your machine for trying Yeastar integration templates with
crmtpl. Try <code>{try_command}</code>.</p>
<h2>Auth prefixes</h2>{prefixes}
<p class="muted">Credentials: user <code>{CREDENTIALS.username}</code> /
<code>{CREDENTIALS.password}</code>, API key <code>{CREDENTIALS.api_key}</code>, OAuth2 client
<code>{CREDENTIALS.client_id}</code> / <code>{CREDENTIALS.client_secret}</code>. Data is shared
by every prefix.</p>
<h2>OAuth2</h2>{oauth}
<h2>API</h2>{endpoints}
<h2>Contacts and leads</h2>{people}
<h2>Users</h2>{users}
<h2>Latest call journal entries</h2>{_calls_table(data.calls[:10])}
<h2>Latest tickets</h2>{_tickets_table(data.tickets[:10])}
"""
    return _page("crmtpl sandbox", body)


def _base_url_flag(base: str) -> str:
    """What the example templates need to reach this sandbox: nothing on the default
    address (their sandbox_url default), ``--var sandbox_url=...`` elsewhere."""
    default = f"http://{HOST}:{DEFAULT_PORT}"
    return "" if base == default else f" --var sandbox_url={base}"


def _person_link(person: dict[str, Any], kind: str) -> str:
    return f"<a href='/app/{kind}/{person['id']}'>{person['id']}</a>"


def _search_link(base: str, person: dict[str, Any]) -> str:
    kind = "contacts" if person["type"] == "contact" else "leads"
    number = next((p["number"] for p in person.get("phones", [])), "")
    digits = "".join(ch for ch in number if ch.isdigit())
    if not digits:
        return ""
    url = f"{base}/none{API_PATH}/{kind}/search?phone={digits}"
    return f"<a href='{escape(url)}'>{escape(digits)}</a>"


def _calls_table(calls: list[dict[str, Any]]) -> str:
    if not calls:
        return "<p class='muted'>None yet: <code>crmtpl run call-journal</code> writes one.</p>"
    return _table(
        ["id", "when", "contact", "subject", "description", "written via"],
        [
            [
                str(c["id"]),
                escape(c["created_at"]),
                escape(f"{c.get('contact_type', '')} {c.get('contact_id', '')}".strip()),
                escape(str(c.get("subject", ""))),
                escape(str(c.get("description", ""))),
                escape(c["created_via"]),
            ]
            for c in calls
        ],
    )


def _tickets_table(tickets: list[dict[str, Any]]) -> str:
    if not tickets:
        return "<p class='muted'>None yet.</p>"
    return _table(
        ["id", "subject", "status", "comments", "written via"],
        [
            [
                f"<a href='/app/tickets/{t['id']}'>{t['id']}</a>",
                escape(t["subject"]),
                escape(t["status"]),
                str(len(t["comments"])),
                escape(t["created_via"]),
            ]
            for t in tickets
        ],
    )


def person(kind: str, record: dict[str, Any], calls: list[dict[str, Any]]) -> str:
    """The page a call popup opens for a contact or lead."""
    address = record.get("address") or {}
    rows = [
        ["Company", escape(record["company"])],
        ["Email", escape(record["email"])],
        ["Title", escape(record.get("title", ""))],
        [
            "Numbers",
            "<br>".join(escape(f"{p['type']}: {p['number']}") for p in record["phones"]),
        ],
        ["Address", escape(", ".join(v for v in address.values() if v))],
        ["Notes", escape(record.get("notes", ""))],
        ["Owner", escape((record.get("owner") or {}).get("name", ""))],
    ]
    body = (
        f"<p class='muted'><a href='/'>crmtpl sandbox</a> › {escape(kind)}</p>"
        f"<h1>{escape(record['name'])}</h1>{_table(['field', 'value'], rows)}"
        f"<h2>Call journal</h2>{_calls_table(calls)}"
    )
    return _page(record["name"], body)


def ticket(record: dict[str, Any]) -> str:
    """A ticket with its comments."""
    comments = _table(
        ["id", "when", "public", "comment", "written via"],
        [
            [
                str(c["id"]),
                escape(c["created_at"]),
                "yes" if c["public"] else "no",
                escape(c["body"]),
                escape(c["created_via"]),
            ]
            for c in record["comments"]
        ],
    )
    rows = [
        ["Status", escape(record["status"])],
        ["Priority", escape(record["priority"])],
        ["Description", escape(record["description"])],
        ["Requester", escape(f"{record['requester']['type']} {record['requester']['id']}")],
        ["Phone", escape(record["phone"])],
    ]
    body = (
        "<p class='muted'><a href='/'>crmtpl sandbox</a> › tickets</p>"
        f"<h1>#{record['id']} {escape(record['subject'])}</h1>{_table(['field', 'value'], rows)}"
        f"<h2>Comments</h2>{comments}"
    )
    return _page(f"Ticket {record['id']}", body)


def consent(pending: AuthorizationRequest, params: dict[str, str]) -> str:
    """The OAuth2 consent page; its buttons POST the same parameters back."""
    hidden = "".join(
        f"<input type='hidden' name='{escape(k)}' value='{escape(v)}'>"
        for k, v in params.items()
        if k != "decision"
    )
    scope = escape(pending.scope) if pending.scope else "<span class='muted'>(none asked)</span>"
    body = f"""
<div class="box">
<h1>Allow access to the crmtpl sandbox?</h1>
<p>The application <code>{escape(pending.client_id)}</code> asks to use your sandbox data.</p>
<p>Scope: {scope}</p>
<p class="muted">After your answer the browser returns to
<code>{escape(pending.redirect_uri)}</code>.</p>
<form method="post" action="/oauth/authorize">{hidden}
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form></div>
"""
    return _page("Authorize - crmtpl sandbox", body)


def authorize_error(message: str) -> str:
    """The page for an authorization request that cannot be redirected back."""
    body = (
        "<div class='box'><h1>This authorization request cannot be processed</h1>"
        f"<p>{escape(message)}</p></div>"
    )
    return _page("Authorization error - crmtpl sandbox", body)


def not_found(message: str) -> str:
    """A 404 page."""
    return _page("Not found - crmtpl sandbox", f"<h1>Not found</h1><p>{escape(message)}</p>")
