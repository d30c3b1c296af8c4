"""Small valid CRM templates for tests that need a template aimed at a test server.

:func:`api_key_template` is the smallest template validate passes without an error (so
render and run do not stop on a finding): an API key custom field, an optional header
carrying it, and one contact search, all sent to ``base``.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

_TEMPLATE = """<Information Provider="crm" Name="{name}" Key="{key}" Version="1.0.0"
  AuthType="none" MaxConcurrentRequest="2">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>
        <Parameter Name="AuthMethod" Value="none"></Parameter>
        <Parameter Father="CustomFieldList" Name="api_key" Editor="password" Title="Key"></Parameter>
{header}      </Parameters>
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Parameters>
        <Parameter Name="ContactUrlType" Value="specify_url_format"></Parameter>
        <Parameter Name="URLFormat" Value="{base}/app/{{{{.ContactId}}}}"></Parameter>
        <Parameter Name="ContactsIdEnable" Value="1"></Parameter>
        <Parameter Name="FirstNameEnable" Value="1"></Parameter>
      </Parameters>
      <Requests>
        <Request Name="Contacts" Method="GET" ResponseType="application/json"
                 URLFormat="{base}/contacts?{query}phone={{{{UrlEncode .Phone}}}}">
          <Outputs>
            <Output Name="ContactsId" Path="data.#.id"></Output>
            <Output Name="FirstName" Path="data.#.first_name"></Output>
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""


def api_key_template(
    base: str,
    *,
    name: str = "Test CRM",
    key: str = "test_crm",
    header: tuple[str, str] | None = None,
    query: str = "",
) -> str:
    """The template text. ``header`` is ``(Name, Value)`` as written in the XML attribute
    (entities such as ``&#13;`` stay as they are); ``query`` goes before ``phone=`` in the
    search URL, as written (``k={{UrlEncode .api_key}}&amp;``)."""
    line = ""
    if header is not None:
        line = (
            '        <Parameter Father="PopulateTemplateString" '
            f'Name="{header[0]}" Type="Header" Value="{header[1]}"></Parameter>\n'
        )
    return _TEMPLATE.format(
        name=quoteattr(name)[1:-1], key=key, header=line, base=base, query=query
    )
