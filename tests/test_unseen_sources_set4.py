"""scripts/unseen_sources.py, set 4: the pre-registered constants obey check_set4(), and
check_set4() refuses the violations it is there to catch. No network, no download."""

from __future__ import annotations

import dataclasses
import sys

import pytest


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("unseen_sources", "unseen_sources_set4")


def test_set4_constants_pass_their_own_check(script):
    script.check_set4()
    assert len(script.PHOTOS4) >= script.MIN_PHOTOS4 == 20
    assert script.MAX_PER_PACKAGE4 == 2
    assert script.DEFAULT_CACHE4.name == "unseen4-sources"
    assert {p.origin for p in script.PHOTOS4} <= {"lossless capture", "undocumented"}
    # Every exclusion is written down with a reason.
    assert script.REJECTED4 and all(what and why for what, why in script.REJECTED4)


def _swap(monkeypatch, script, **constants):
    for name, value in constants.items():
        monkeypatch.setattr(script, name, value)


def test_set4_check_refuses_a_package_of_an_earlier_set(script, monkeypatch):
    reused = dataclasses.replace(script.SOURCES4[0], package=dataclasses.replace(
        script.SOURCES4[0].package, name=script.SOURCES3[0].package.name))
    _swap(monkeypatch, script, SOURCES4=(reused,) + script.SOURCES4[1:])
    with pytest.raises(AssertionError):
        script.check_set4()


def test_set4_check_refuses_a_package_rejected_by_an_earlier_set(script, monkeypatch):
    # "glymur" was opened and rejected for set 3 (REJECTED3), so set 4 may not use it.
    assert "glymur" in script._named(script.REJECTED3)
    rejected = dataclasses.replace(script.SOURCES4[0], package=dataclasses.replace(
        script.SOURCES4[0].package, name="glymur"))
    _swap(monkeypatch, script, SOURCES4=(rejected,) + script.SOURCES4[1:])
    with pytest.raises(AssertionError):
        script.check_set4()


def test_set4_check_refuses_a_corpus_package(script, monkeypatch):
    from jpegaf.data.corpus.sources import ALL_PACKAGES

    corpus = dataclasses.replace(script.SOURCES4[0], package=dataclasses.replace(
        script.SOURCES4[0].package, name=ALL_PACKAGES[0].name))
    _swap(monkeypatch, script, SOURCES4=(corpus,) + script.SOURCES4[1:])
    with pytest.raises(AssertionError):
        script.check_set4()


def test_set4_check_refuses_the_same_package_twice(script, monkeypatch):
    first, second = script.SOURCES4[0], script.SOURCES4[1]
    twin = dataclasses.replace(second, package=dataclasses.replace(
        second.package, name=first.package.name))
    _swap(monkeypatch, script, SOURCES4=(first, twin) + script.SOURCES4[2:])
    with pytest.raises(AssertionError, match="duplicate package"):
        script.check_set4()


def test_set4_check_refuses_a_third_photo_from_one_package(script, monkeypatch):
    key = script.PHOTOS4[0].source
    extra = dataclasses.replace(script.PHOTOS4[0], path="another/file.png", scene="extra_scene")
    extra2 = dataclasses.replace(extra, path="a/third.png", scene="extra_scene2")
    _swap(monkeypatch, script, PHOTOS4=script.PHOTOS4 + (extra, extra2))
    assert sum(p.source == key for p in script.PHOTOS4) > script.MAX_PER_PACKAGE4
    with pytest.raises(AssertionError):
        script.check_set4()


def test_set4_check_refuses_duplicate_and_earlier_scene_names(script, monkeypatch):
    dup = dataclasses.replace(script.PHOTOS4[1], scene=script.PHOTOS4[0].scene)
    _swap(monkeypatch, script, PHOTOS4=(script.PHOTOS4[0], dup) + script.PHOTOS4[2:])
    with pytest.raises(AssertionError, match="duplicate scene"):
        script.check_set4()
    old = dataclasses.replace(script.PHOTOS4[0], scene=script.PHOTOS3[0].scene)
    _swap(monkeypatch, script, PHOTOS4=(old,) + script.PHOTOS4[1:])
    with pytest.raises(AssertionError, match="scene name of set"):
        script.check_set4()


def test_set4_check_refuses_the_same_file_twice(script, monkeypatch):
    twin = dataclasses.replace(script.PHOTOS4[0], scene="same_file_again")
    _swap(monkeypatch, script, PHOTOS4=(script.PHOTOS4[0], twin) + script.PHOTOS4[1:])
    with pytest.raises(AssertionError):
        script.check_set4()


def test_set4_readers_stop_with_one_line_when_their_package_is_missing(script, monkeypatch,
                                                                         tmp_path):
    monkeypatch.setitem(sys.modules, "rawpy", None)  # import rawpy raises ImportError
    monkeypatch.setitem(sys.modules, "OpenEXR", None)
    with pytest.raises(SystemExit, match="pip install rawpy"):
        script.read_camera_raw(tmp_path / "x.CR2")
    with pytest.raises(SystemExit, match="pip install OpenEXR"):
        script.read_exr_hdr(tmp_path / "x.exr")
