"""ScenarioRunner over HTTP mocks: record assembly, Next chains, TokenErrorMap, faults.

End-to-end runs against real servers live in tests/e2e; these pin down each fault path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from pytest_httpx import HTTPXMock

from crmtpl.errors import AuthError, ExitCode, FindingsError, NetworkError
from crmtpl.http import HttpClient, HttpSettings
from crmtpl.run.runner import RenderFailed, ScenarioRunner
from crmtpl.template import LoadedTemplate, load_template
from crmtpl.variables import Source, VariableContext

BASE = "https://crm.example.test"

TEMPLATE = """<Information Provider="crm" Name="Unit" Key="unit_crm" Version="1.0.0"
  AuthType="{auth}" MaxConcurrentRequest="2" UserAssociation="1" CallJournal="1"
  CreateNewContact="1" CreateNewTicket="0">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>
        <Parameter Name="AuthMethod" Value="{auth}"></Parameter>
        <Parameter Name="TokenEndPoint" Value="{base}/token"></Parameter>
        <Parameter Father="CustomFieldList" Name="api_key" Editor="password" Title="Key"></Parameter>
        <Parameter Father="PopulateTemplateString" Name="Accept" Type="Header" Value="application/json"></Parameter>
        <Parameter Father="TokenErrorMap" Type="TokenInvalid" Name="TokenInvalid" Value="invalid_token"></Parameter>
      </Parameters>
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Parameters>
        <Parameter Name="ContactUrlType" Value="specify_url_format"></Parameter>
        <Parameter Name="URLFormat" Value="{base}/app/{{{{.ContactSyncType}}}}/{{{{.ContactId}}}}"></Parameter>
        <Parameter Name="ContactsIdEnable" Value="1"></Parameter>
        <Parameter Name="FirstNameEnable" Value="1"></Parameter>
        <Parameter Name="LastNameEnable" Value="0"></Parameter>
        <Parameter Name="MobileNumberEnable" Value="1"></Parameter>
      </Parameters>
      <Requests>
        <Request Name="Contacts" Method="GET" ResponseType="application/json"
                 URLFormat="{base}/contacts?phone={{{{UrlEncode .Phone}}}}">
          <Outputs Next="Detail">
            <Output Name="ContactsId" Path="data.#.id"></Output>
            <Output Name="FirstName" Path="data.#.first"></Output>
            <Output Name="LastName" Path="data.#.last"></Output>
            <Output Name="MobileNumber" Path=""></Output>
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="Common" Type="REST">
      <Requests>
        <Request Name="Detail" Method="GET" ResponseType="application/json"
                 URLFormat="{base}/contacts/{{{{.ContactsId}}}}">
          <Outputs>
            <Output Name="MobileNumber" Path="phones.#(kind==&quot;mobile&quot;).number"></Output>
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="UserAssociation" Type="REST">
      <Requests>
        <Request Name="UserAssociation" Method="GET" ResponseType="application/json"
                 URLFormat="{base}/users">
          <Outputs>
            <Output Name="UserUniqueId" Path="#.id"></Output>
            <Output Name="Email" Path="#.email"></Output>
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="CreateNewContact" Type="REST">
      <Requests>
        <Request Name="Contacts" Method="POST" ResponseType="application/json"
                 URLFormat="{base}/contacts">
          <Parameters>
            <Parameter Name="Data" Type="Body" Value="{{&quot;first&quot;:&quot;{{{{.FirstName}}}}&quot;,&quot;phone&quot;:&quot;{{{{.BusinessNumber}}}}&quot;}}"></Parameter>
          </Parameters>
          <Outputs><Output Name="ContactId" Path="id"></Output></Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="CallJournal" Type="REST">
      <Parameters>
        <Parameter Name="Subject" Value="Call with {{{{.CallerNumber}}}}"></Parameter>
      </Parameters>
      <Requests>
        <Request Name="CallJournal" Method="POST" ResponseType="application/json"
                 URLFormat="{base}/contacts/{{{{.ContactId}}}}/calls">
          <Parameters>
            <Parameter Name="Data" Type="Body" Value="{{&quot;subject&quot;:&quot;{{{{.Subject}}}}&quot;}}"></Parameter>
          </Parameters>
        </Request>
      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""

SEARCH = {"data": [{"id": 7, "first": "William", "last": "Smith"}]}
DETAIL = {"phones": [{"kind": "work", "number": "1"}, {"kind": "mobile", "number": "+4915"}]}


def loaded(auth: str = "none") -> LoadedTemplate:
    return load_template(TEMPLATE.format(auth=auth, base=BASE), display_name="unit.xml")


class FakeTokens:
    """Stands in for creds.TokenManager: counts refreshes, hands out numbered tokens."""

    def __init__(self) -> None:
        self.issued = 1
        self.refreshes = 0

    def access_token(
        self, force_refresh: bool = False, *, rejected_token: str | None = None
    ) -> str:
        if force_refresh:
            self.refreshes += 1
            self.issued += 1
        return f"token-{self.issued}"

    def secrets(self) -> list[str]:
        return [f"token-{n}" for n in range(1, self.issued + 1)]


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(HttpSettings(max_retries=0), sleep=lambda _: None) as client:
        yield client


def runner(
    http: HttpClient, auth: str = "none", tokens: FakeTokens | None = None
) -> ScenarioRunner:
    context = VariableContext()
    context.set("api_key", "k-123456", Source.FLAG, "--var")
    made = ScenarioRunner(loaded(auth), context, http, tokens=tokens)  # type: ignore[arg-type]
    made.prepare_auth()
    return made


def test_lookup_builds_records_follows_next_and_hides_disabled_fields(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    httpx_mock.add_response(url=f"{BASE}/contacts?phone=%2B4930123", json=SEARCH)
    httpx_mock.add_response(url=f"{BASE}/contacts/7", json=DETAIL)
    result = runner(http).lookup("+4930123")
    assert result.records == [
        {
            "ContactsId": "7",
            "FirstName": "William",
            "MobileNumber": "+4915",
            "ContactSyncType": "Contacts",
            "ContactUrl": f"{BASE}/app/Contacts/7",
        }
    ]
    assert result.hidden_fields == ["LastName"]
    assert [e.status for e in result.exchanges] == [200, 200]
    sent = httpx_mock.get_requests()
    assert sent[0].headers["Accept"] == "application/json"


def test_lookup_with_no_match_has_no_records(httpx_mock: HTTPXMock, http: HttpClient) -> None:
    httpx_mock.add_response(url=f"{BASE}/contacts?phone=000", json={"data": []})
    assert runner(http).lookup("000").records == []


def test_bearer_token_is_refreshed_once_when_the_token_error_map_matches(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    tokens = FakeTokens()
    httpx_mock.add_response(url=f"{BASE}/users", status_code=401, json={"error": "invalid_token"})
    httpx_mock.add_response(url=f"{BASE}/users", json=[{"id": "u1", "email": "a@x.test"}])
    result = runner(http, "bearertoken", tokens).users()
    assert result.records == [{"UserUniqueId": "u1", "Email": "a@x.test"}]
    assert tokens.refreshes == 1
    sent = httpx_mock.get_requests()
    assert sent[0].headers["Authorization"] == "Bearer token-1"
    assert sent[1].headers["Authorization"] == "Bearer token-2"
    assert result.exchanges[1].note == "retried after a token refresh"


def test_a_token_still_invalid_after_refresh_is_an_auth_error(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    tokens = FakeTokens()
    for _ in range(2):
        httpx_mock.add_response(
            url=f"{BASE}/users", status_code=401, json={"error": "invalid_token"}
        )
    with pytest.raises(AuthError) as caught:
        runner(http, "bearertoken", tokens).users()
    assert caught.value.exit_code == ExitCode.AUTH
    assert "after a token refresh" in str(caught.value)
    assert tokens.refreshes == 1


def test_401_without_a_token_pattern_is_an_auth_error(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    httpx_mock.add_response(url=f"{BASE}/users", status_code=401, text="Unauthorized")
    with pytest.raises(AuthError, match="refused the credentials"):
        runner(http).users()


def test_403_is_not_permitted_a_network_error(httpx_mock: HTTPXMock, http: HttpClient) -> None:
    httpx_mock.add_response(url=f"{BASE}/users", status_code=403, text="missing scope users:read")
    with pytest.raises(NetworkError) as caught:
        runner(http).users()
    assert "not permitted" in str(caught.value)
    assert "missing scope users:read" in str(caught.value)
    assert caught.value.hint is not None and "scopes" in caught.value.hint


def test_an_empty_204_search_finds_no_contact(httpx_mock: HTTPXMock, http: HttpClient) -> None:
    httpx_mock.add_response(url=f"{BASE}/contacts?phone=123", status_code=204)
    assert runner(http).lookup("123").records == []


def test_500_is_a_network_error_with_the_body_start(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    httpx_mock.add_response(url=f"{BASE}/users", status_code=500, text="database is down")
    with pytest.raises(NetworkError) as caught:
        runner(http).users()
    assert "500" in str(caught.value)
    assert "database is down" in str(caught.value)
    assert caught.value.exit_code == ExitCode.NETWORK


def test_a_response_that_is_not_json_is_reported_clearly(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    httpx_mock.add_response(
        url=f"{BASE}/users", text="<html>login</html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(NetworkError) as caught:
        runner(http).users()
    message = str(caught.value)
    assert "not JSON" in message
    assert "text/html" in message
    assert "<html>login" in message


def test_create_contact_posts_the_body_once_and_reads_the_new_id(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    httpx_mock.add_response(url=f"{BASE}/contacts", method="POST", json={"id": 99})
    made = runner(http)
    made.context.set("FirstName", "Ada", Source.PBX, "option")
    made.context.set("BusinessNumber", "+441632", Source.PBX, "option")
    result = made.create_contact("Contacts")
    assert result.records == [{"ContactId": "99"}]
    sent = httpx_mock.get_request()
    assert sent is not None
    assert json.loads(sent.content) == {"first": "Ada", "phone": "+441632"}


def test_a_failed_post_is_not_retried(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=f"{BASE}/contacts", method="POST")
    with HttpClient(HttpSettings(max_retries=2), sleep=lambda _: None) as http:
        made = runner(http)
        with pytest.raises(NetworkError) as caught:
            made.create_contact("Contacts")
    assert caught.value.hint is not None
    assert "never retried" in caught.value.hint
    assert len(httpx_mock.get_requests()) == 1


def test_call_journal_looks_the_contact_up_first(httpx_mock: HTTPXMock, http: HttpClient) -> None:
    httpx_mock.add_response(url=f"{BASE}/contacts?phone=5503302", json=SEARCH)
    httpx_mock.add_response(url=f"{BASE}/contacts/7", json=DETAIL)
    httpx_mock.add_response(url=f"{BASE}/contacts/7/calls", method="POST", json={"ok": True})
    made = runner(http)
    made.context.set("CallerNumber", "5503302", Source.PBX, "--caller-number")
    result = made.call_journal(None, None)
    assert result.records == [{}]
    posted = httpx_mock.get_requests()[-1]
    assert json.loads(posted.content) == {"subject": "Call with 5503302"}


def test_call_journal_without_a_contact_is_a_finding(
    httpx_mock: HTTPXMock, http: HttpClient
) -> None:
    httpx_mock.add_response(url=f"{BASE}/contacts?phone=123", json={"data": []})
    made = runner(http)
    made.context.set("CallerNumber", "123", Source.PBX, "--caller-number")
    with pytest.raises(FindingsError, match="no contact matches"):
        made.call_journal(None, None)


def test_a_template_error_stops_the_request_with_its_position(http: HttpClient) -> None:
    broken = TEMPLATE.replace("/users", "/users/{{{{urlEncode .Phone}}}}")
    template = load_template(broken.format(auth="none", base=BASE), display_name="bad.xml")
    made = ScenarioRunner(template, VariableContext(), http)
    with pytest.raises(RenderFailed) as caught:
        made.users()
    assert str(caught.value).startswith("bad.xml:")
    assert "urlEncode" in str(caught.value)


def test_a_custom_field_without_a_value_stops_the_run_before_sending(http: HttpClient) -> None:
    template = TEMPLATE.replace("/users", "/users?key={{{{.api_key}}}}")
    made = ScenarioRunner(
        load_template(template.format(auth="none", base=BASE), display_name="unit.xml"),
        VariableContext(),
        http,
    )
    with pytest.raises(AuthError) as caught:
        made.users()
    assert "custom field api_key has no value" in str(caught.value)
    # issue 14 item 13: a secret field is given with auth set or the environment, not --var
    assert caught.value.hint is not None and "crmtpl auth set unit.xml api_key" in caught.value.hint
    assert "CRMTPL_VAR_api_key" in caught.value.hint
