"""The gallery's catalogue and its folder agree, and names are looked up helpfully."""

from __future__ import annotations

import pytest

from crmtpl.gallery import (
    GALLERY_DIR,
    GalleryEntry,
    GalleryError,
    gallery_entries,
    gallery_entry,
)
from crmtpl.template import load_template
from tests.support import REPO_ROOT

SPECS = REPO_ROOT / "tests" / "servers" / "prism" / "specs"


def test_every_template_of_the_folder_is_in_the_catalogue_and_back() -> None:
    listed = sorted(entry.file for entry in gallery_entries())
    on_disk = sorted(path.name for path in GALLERY_DIR.glob("*.xml"))
    assert listed == on_disk


@pytest.mark.parametrize("entry", gallery_entries(), ids=lambda e: e.name)
def test_an_entry_says_what_its_template_is(entry: GalleryEntry) -> None:
    model = load_template(entry.path).model
    assert model.provider == entry.provider
    assert entry.system and entry.auth and entry.summary and entry.verified
    if entry.openapi is not None:
        assert (SPECS / entry.openapi).exists(), entry.openapi


def test_a_name_is_found_whatever_its_case() -> None:
    assert gallery_entry("HubSpot").file == "hubspot.xml"


def test_a_misspelt_name_gets_the_closest() -> None:
    with pytest.raises(GalleryError, match="did you mean pipedrive"):
        gallery_entry("pipedrve")


def test_an_unknown_name_lists_the_gallery() -> None:
    with pytest.raises(GalleryError, match=r"it has: bottlecrm, .*zoho"):
        gallery_entry("salesforce-classic-xyz")
