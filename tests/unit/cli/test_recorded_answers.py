"""validate finds test files by the same name pattern as ``crmtpl test``."""

from __future__ import annotations


def test_validates_test_file_glob_is_the_test_machinerys() -> None:
    from crmtpl.cli.recorded_answers import TEST_FILE_GLOB
    from crmtpl.testing.spec import TEST_FILE_PATTERN

    assert TEST_FILE_GLOB == TEST_FILE_PATTERN
