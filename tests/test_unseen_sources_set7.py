"""scripts/unseen_sources.py, set 7: the constants obey check_set7(), and check_set7() refuses the
violations it is there to catch. The rules every later set shares are tested in
test_unseen_sources_later_sets.py. No network, no download.

Set 7 was fixed at twenty photographs from thirteen packages by one search
(results/unseen7/README.md). Set 7 adds no reader."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("unseen_sources", "unseen_sources_set7")


def test_set7_constants_pass_their_own_check(script):
    script.check_set7()
    assert script.MIN_PHOTOS7 == 20
    assert script.MAX_PER_PACKAGE7 == 2
    assert script.DEFAULT_CACHE7.name == "unseen7-sources"
    assert {p.origin for p in script.PHOTOS7} <= {"lossless capture", "undocumented"}
    # 8-bit files read as they are (palette SEM TIFFs, an RGB PNG), FITS frames (stretched) and
    # one page of 16-bit TIFFs (stretched): readers of earlier sets only.
    assert {p.convert for p in script.PHOTOS7} <= {"luma", "fits-stretch", "tiff-plane"}
    assert all(p.plane is None or p.convert in ("tiff-plane", "fits-stretch")
               for p in script.PHOTOS7)
    # Every exclusion is written down with a reason.
    assert script.REJECTED7 and all(what and why for what, why in script.REJECTED7)


def test_set7_is_complete(script):
    # The set was fixed at twenty photographs from thirteen packages (results/unseen7/README.md).
    assert len(script.PHOTOS7) == script.MIN_PHOTOS7 == 20
    assert len(script.SOURCES7) == 13


def test_set7_does_not_touch_the_earlier_sets(script):
    assert script.MIN_PHOTOS6 == 20 and script.MAX_PER_PACKAGE6 == 2
    assert script.DEFAULT_CACHE6.name == "unseen6-sources"
    assert len(script.PHOTOS6) == 20 and len(script.SOURCES6) == 15
    assert not ({s.package.name for s in script.SOURCES7}
                & {s.package.name for s in script.SOURCES + script.SOURCES2 + script.SOURCES3
                   + script.SOURCES4 + script.SOURCES5 + script.SOURCES6})


def _swap(monkeypatch, script, **constants):
    for name, value in constants.items():
        monkeypatch.setattr(script, name, value)


def _renamed(source, name):
    return dataclasses.replace(source, package=dataclasses.replace(source.package, name=name))


@pytest.mark.parametrize("earlier", ["SOURCES6", "SOURCES5", "SOURCES"])
def test_set7_check_refuses_a_package_of_an_earlier_set(script, monkeypatch, earlier):
    reused = _renamed(script.SOURCES7[0], getattr(script, earlier)[0].package.name)
    _swap(monkeypatch, script, SOURCES7=(reused,) + script.SOURCES7[1:])
    with pytest.raises(AssertionError):
        script.check_set7()


@pytest.mark.parametrize("name, rejected_by", [("pyoxipng", "REJECTED6"),
                                               ("pybullet", "REJECTED5")])
def test_set7_check_refuses_a_package_rejected_by_an_earlier_set(script, monkeypatch, name,
                                                                  rejected_by):
    assert name in script._named(getattr(script, rejected_by))
    rejected = _renamed(script.SOURCES7[0], name)
    _swap(monkeypatch, script, SOURCES7=(rejected,) + script.SOURCES7[1:])
    with pytest.raises(AssertionError):
        script.check_set7()


@pytest.mark.parametrize("earlier", ["PHOTOS6", "PHOTOS4", "PHOTOS"])
def test_set7_check_refuses_a_file_name_of_an_earlier_set(script, monkeypatch, earlier):
    # The same file name in another folder (or another package) counts: a later set takes no
    # file that an earlier one already took under that name.
    name = getattr(script, earlier)[0].path.rsplit("/", 1)[-1]
    moved = dataclasses.replace(script.PHOTOS7[0], path="somewhere/else/" + name.upper())
    _swap(monkeypatch, script, PHOTOS7=(moved,) + script.PHOTOS7[1:])
    with pytest.raises(AssertionError, match="file name of sets 1 to 6"):
        script.check_set7()


def test_main_offers_set7(script, tmp_path):
    not_empty = tmp_path / "out"
    not_empty.mkdir()
    (not_empty / "x").write_text("")
    # --set 7 is accepted by the parser (the run stops at the non-empty folder, before any
    # download); --set 8 is not.
    with pytest.raises(SystemExit) as stop:
        script.main([str(not_empty), "--set", "7"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit):
        script.main([str(tmp_path / "fresh"), "--set", "8"])
