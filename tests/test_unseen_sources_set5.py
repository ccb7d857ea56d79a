"""scripts/unseen_sources.py, set 5: the pre-registered constants obey check_set5(), and
check_set5() refuses the violations it is there to catch. The rules every later set shares are tested in
test_unseen_sources_later_sets.py. No network, no download."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("unseen_sources", "unseen_sources_set5")


def test_set5_constants_pass_their_own_check(script):
    script.check_set5()
    assert len(script.PHOTOS5) >= script.MIN_PHOTOS5 == 20
    assert script.MAX_PER_PACKAGE5 == 2
    assert script.DEFAULT_CACHE5.name == "unseen5-sources"
    assert {p.origin for p in script.PHOTOS5} <= {"lossless capture", "undocumented"}
    # Set 5 needs no reader beyond load_luma (8-bit PNG, BMP and binary PPM files).
    assert {p.convert for p in script.PHOTOS5} == {"luma"}
    # Every exclusion is written down with a reason.
    assert script.REJECTED5 and all(what and why for what, why in script.REJECTED5)


def test_set5_does_not_touch_the_earlier_sets(script):
    # The earlier sets keep their own constants: set 5 adds, it does not move anything.
    assert script.MIN_PHOTOS4 == 20 and script.MAX_PER_PACKAGE4 == 2
    assert script.DEFAULT_CACHE4.name == "unseen4-sources"
    assert not ({s.package.name for s in script.SOURCES5}
                & {s.package.name for s in script.SOURCES + script.SOURCES2 + script.SOURCES3
                   + script.SOURCES4})


def _swap(monkeypatch, script, **constants):
    for name, value in constants.items():
        monkeypatch.setattr(script, name, value)


def _renamed(source, name):
    return dataclasses.replace(source, package=dataclasses.replace(source.package, name=name))


def test_set5_check_refuses_a_package_of_set4(script, monkeypatch):
    reused = _renamed(script.SOURCES5[0], script.SOURCES4[0].package.name)
    _swap(monkeypatch, script, SOURCES5=(reused,) + script.SOURCES5[1:])
    with pytest.raises(AssertionError):
        script.check_set5()


def test_set5_check_refuses_a_package_of_an_earlier_set(script, monkeypatch):
    reused = _renamed(script.SOURCES5[0], script.SOURCES3[0].package.name)
    _swap(monkeypatch, script, SOURCES5=(reused,) + script.SOURCES5[1:])
    with pytest.raises(AssertionError):
        script.check_set5()


@pytest.mark.parametrize("name, rejected_by", [("gem-doc", "REJECTED4"), ("glymur", "REJECTED3")])
def test_set5_check_refuses_a_package_rejected_by_an_earlier_set(script, monkeypatch, name, rejected_by):
    # each was opened and rejected for an earlier set, so set 5 may not use it
    assert name in script._named(getattr(script, rejected_by))
    rejected = _renamed(script.SOURCES5[0], name)
    _swap(monkeypatch, script, SOURCES5=(rejected,) + script.SOURCES5[1:])
    with pytest.raises(AssertionError):
        script.check_set5()


def test_main_offers_set5(script, tmp_path):
    not_empty = tmp_path / "out"
    not_empty.mkdir()
    (not_empty / "x").write_text("")
    # --set 5 is accepted by the parser (the run stops at the non-empty folder, before any
    # download); --set 8 is not (sets 6 and 7 exist since the set-6 and set-7 searches).
    with pytest.raises(SystemExit) as stop:
        script.main([str(not_empty), "--set", "5"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit):
        script.main([str(tmp_path / "fresh"), "--set", "8"])
