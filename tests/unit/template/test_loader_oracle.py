"""The loader reads attribute values exactly as Go's encoding/xml does (the oracle's ``xml``).

Every document is sent to the Go reference program in one batch. Where Go accepts, crmtpl
must accept and see the same elements, attributes (in order, repeats included), values
and lines. Where Go is laxer than XML, crmtpl rejects on purpose: those documents are
listed apart, so a change on either side shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtpl.template import TemplateFileError, load_template
from tests.support import SPEC_EXAMPLES_DIR, run_oracle

pytestmark = pytest.mark.oracle

BOTH_ACCEPT: list[str] = [
    '<a b="&lt;&gt;&amp;&quot;&apos;"/>',
    '<a b="x&#xA;y&#10;z&#x9;t&#9;u&#xD;v&#13;w"/>',
    '<a b="line one\nline two\tand a tab"/>',
    '<a b="crlf\r\ninside" c="lone\rcr"\r\n   d="x"/>',
    "<a b='single \"quoted\" &apos;value&apos;' c=''/>",
    '<a b="Zürich — 😀 &#x1F600; &#128512; &#233;"/>',
    '<a   b  =  "spaced"   c\n=\n"newlines around equals"  />',
    '<a b="x > y, a &gt; b"/>',
    '<a b=""></a>',
    '<a b="1" b="2"/>',
    '<a xmlns="urn:x" b="1"/>',
    "<a>\n  <b c='1'>text &amp; more<![CDATA[ <raw> ]]></b>\n  <!-- note -->\n  <?pi data?>\n</a>",
    '<?xml version="1.0" encoding="UTF-8"?>\r\n<a>\r\n  <b c="1"/>\r\n'
    '  <d e="2\r\n3"/>\r\n</a>\r\n',
    "<?xml version='1.0' encoding='utf-8' standalone='yes'?><a/>",
    "\ufeff<a b='bom'/>",
    '<Información título="ñandú"/>',
    '<a b="{{if eq .X `1`}}&quot;y&quot;{{end}}"/>',
    '<a b="  leading and trailing  "/>',
    "<a>\n" + "".join(f'  <p i="{i}" v="v&#xA;{i}"/>\n' for i in range(40)) + "</a>",
]

# Go's decoder accepts these; XML (and crmtpl) do not. Each rejection is deliberate.
GO_LAXER: list[str] = [
    "<a/>trailing text",
    "<a/><b/>",
    '<a b="1"c="2"/>',
    ' <?xml version="1.0"?><a/>',
    "<?xml?><a/>",
    '<a b="&#xD800;"/>',
    "<![CDATA[x]]><a/>",
    "<!DOCTYPE a><a/>",
]

BOTH_REJECT: list[str] = [
    '<?xml version="1.1"?><a/>',
    '<?xml version="1.0" encoding="ISO-8859-1"?><a/>',
    '<a b="&nbsp;"/>',
    '<a b="x & y"/>',
    '<a b="x < y"/>',
    "<a><!-- x -- y --></a>",
    "<a>]]></a>",
    "<a></b>",
    "<a>",
    '<a b="\x01"/>',
    '<a b="&#0;"/>',
    "<a b=1/>",
    "<a b/>",
    '<a b="&#X41;"/>',
    '<a b="&#x41"/>',
    "<1a/>",
    '<!DOCTYPE a [<!ENTITY e "x">]><a b="&e;"/>',
]


def _crmtpl_elements(document: str) -> list[dict[str, object]]:
    loaded = load_template(document)
    source = loaded.source
    return [
        {
            "name": element.name.rpartition(":")[2],
            "attrs": [[a.name.rpartition(":")[2], a.value] for a in element.attribute_list],
            "line": source.position(element.tag_end)[0],
        }
        for element in source.elements
    ]


def _documents_with_examples() -> list[str]:
    examples = SPEC_EXAMPLES_DIR
    files = sorted(Path(examples).glob("*.xml"))
    return BOTH_ACCEPT + [path.read_text(encoding="utf-8") for path in files]


def test_crmtpl_decodes_every_attribute_as_go_does() -> None:
    documents = _documents_with_examples()
    answers = run_oracle([{"kind": "xml", "xml": d} for d in documents])
    assert len(answers) == len(documents)
    for document, answer in zip(documents, answers, strict=True):
        assert answer["ok"], (document, answer["error"])
        assert _crmtpl_elements(document) == answer["elements"], document


def test_go_is_laxer_than_xml_and_crmtpl_rejects_on_purpose() -> None:
    answers = run_oracle([{"kind": "xml", "xml": d} for d in GO_LAXER])
    for document, answer in zip(GO_LAXER, answers, strict=True):
        assert answer["ok"], (document, answer["error"])
        with pytest.raises(TemplateFileError):
            load_template(document)


def test_what_go_rejects_crmtpl_rejects() -> None:
    answers = run_oracle([{"kind": "xml", "xml": d} for d in BOTH_REJECT])
    for document, answer in zip(BOTH_REJECT, answers, strict=True):
        assert not answer["ok"], document
        with pytest.raises(TemplateFileError):
            load_template(document)


def test_version_1_1_message_quotes_go() -> None:
    (answer,) = run_oracle([{"kind": "xml", "xml": BOTH_REJECT[0]}])
    go_message = str(answer["error"]).removeprefix("xml: ")
    with pytest.raises(TemplateFileError) as caught:
        load_template(BOTH_REJECT[0])
    assert go_message in caught.value.message
