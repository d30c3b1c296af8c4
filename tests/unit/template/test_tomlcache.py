"""The cache of the packaged TOML tables always equals a fresh parse."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from crmtpl.lint.ruletable import parse_rule_table
from crmtpl.template import tomlcache
from crmtpl.template.catalogue import load_catalogue

PACKAGED = [("crmtpl.template", "catalogue.toml"), ("crmtpl.lint", "rules.toml")]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CRMTPL_CACHE_DIR", str(folder))
    monkeypatch.delenv("CRMTPL_NO_CACHE", raising=False)
    return folder


@pytest.mark.parametrize(("package", "name"), PACKAGED)
def test_the_cached_table_equals_a_fresh_parse(cache: Path, package: str, name: str) -> None:
    data = resources.files(package).joinpath(name).read_bytes()
    fresh = tomllib.loads(data.decode("utf-8"))
    first = tomlcache.load_toml_cached(data)  # parses and writes the cache
    assert tomlcache.cache_path(data).is_file()
    second = tomlcache.load_toml_cached(data)  # reads it back
    assert first == fresh
    assert second == fresh
    assert repr(second) == repr(fresh)  # same key order, same types (1 stays 1, not 1.0)


def _attributes(thing: object) -> dict[str, str]:
    return {key: repr(value) for key, value in vars(thing).items()}


def test_catalogue_and_rule_table_built_from_the_cache_equal_fresh_ones(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue_data = resources.files("crmtpl.template").joinpath("catalogue.toml").read_bytes()
    rules_data = resources.files("crmtpl.lint").joinpath("rules.toml").read_bytes()
    for _ in range(2):  # a miss, then a hit
        cached_catalogue = _attributes(load_catalogue(catalogue_data))
        cached_rules = [repr(rule) for rule in parse_rule_table(rules_data).rules]
    assert len(list(cache.iterdir())) == 2
    monkeypatch.setenv("CRMTPL_NO_CACHE", "1")
    assert cached_catalogue == _attributes(load_catalogue(catalogue_data))
    assert cached_rules == [repr(rule) for rule in parse_rule_table(rules_data).rules]


def test_a_changed_table_is_never_served_from_an_old_cache(cache: Path) -> None:
    old = b'schema = 1\nname = "old"\n'
    new = b'schema = 1\nname = "new"\n'
    assert tomlcache.load_toml_cached(old) == {"schema": 1, "name": "old"}
    assert tomlcache.cache_path(old) != tomlcache.cache_path(new)
    assert tomlcache.load_toml_cached(new) == {"schema": 1, "name": "new"}


@pytest.mark.parametrize("damage", [b"", b"{", b"[1, 2]", b"\xff\xfe", b'{"name": "forged"'])
def test_a_damaged_cache_file_is_ignored_and_rewritten(cache: Path, damage: bytes) -> None:
    data = b'name = "real"\n'
    path = tomlcache.cache_path(data)
    path.parent.mkdir(parents=True)
    path.write_bytes(damage)
    assert tomlcache.load_toml_cached(data) == {"name": "real"}
    assert tomlcache.load_toml_cached(data) == {"name": "real"}
    assert path.read_bytes() != damage


def test_an_unwritable_cache_folder_only_costs_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CRMTPL_CACHE_DIR", str(blocker / "cache"))
    assert tomlcache.load_toml_cached(b"a = 1\n") == {"a": 1}


def test_a_table_json_cannot_hold_is_parsed_and_not_cached(cache: Path) -> None:
    data = b"when = 2024-01-02\n"
    assert tomlcache.load_toml_cached(data) == tomllib.loads(data.decode())
    assert not tomlcache.cache_path(data).exists()


def test_a_bad_table_raises_what_tomllib_raises_and_is_not_cached(cache: Path) -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        tomlcache.load_toml_cached(b"= broken")
    assert not cache.exists() or not list(cache.iterdir())


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CRMTPL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tomlcache.cache_dir() == tmp_path / "crmtpl"


def test_a_cache_file_of_another_text_under_the_same_name_is_not_served(cache: Path) -> None:
    import json

    data = b'name = "real"\n'
    path = tomlcache.cache_path(data)
    path.parent.mkdir(parents=True)
    forged = {"source": 'name = "other"\n', "document": {"name": "forged"}}
    path.write_text(json.dumps(forged), encoding="utf-8")
    assert tomlcache.load_toml_cached(data) == {"name": "real"}
    assert json.loads(path.read_text(encoding="utf-8"))["source"] == 'name = "real"\n'


@pytest.mark.parametrize(("package", "name"), PACKAGED)
def test_packaged_bytes_reads_what_importlib_resources_reads(package: str, name: str) -> None:
    import importlib

    module_file = importlib.import_module(package).__file__
    assert module_file is not None
    expected = resources.files(package).joinpath(name).read_bytes()
    assert tomlcache.packaged_bytes(module_file, name, package) == expected
    # a package that is not in a folder (a zip import) is read through importlib.resources
    assert tomlcache.packaged_bytes("/no/such/folder/x.py", name, package) == expected
