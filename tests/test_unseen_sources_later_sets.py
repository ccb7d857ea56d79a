"""scripts/unseen_sources.py, sets 5 to 7: the rules every later set shares
(``_check_later_set``, behind check_set5/6/7) refuse the violations they are there to catch, for
each set. Each set's own rules (which earlier packages and file names it may not take) are tested
in its own file. No network, no download."""

from __future__ import annotations

import dataclasses

import pytest

LATER_SETS = (5, 6, 7)
# The earlier photographs whose scene names each set's check is tried against.
EARLIER_SCENES = {5: ("PHOTOS4", "PHOTOS3", "PHOTOS2", "PHOTOS"),
                  6: ("PHOTOS5", "PHOTOS4", "PHOTOS3", "PHOTOS2", "PHOTOS"),
                  7: ("PHOTOS6", "PHOTOS5", "PHOTOS2", "PHOTOS")}


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("unseen_sources", "unseen_sources_later_sets")


class LaterSet:
    """Set ``n``'s constants and check, swapped through ``monkeypatch``."""

    def __init__(self, script, monkeypatch, n: int):
        self.script, self.monkeypatch, self.n = script, monkeypatch, n

    @property
    def sources(self):
        return getattr(self.script, f"SOURCES{self.n}")

    @property
    def photos(self):
        return getattr(self.script, f"PHOTOS{self.n}")

    def swap(self, sources=None, photos=None) -> None:
        if sources is not None:
            self.monkeypatch.setattr(self.script, f"SOURCES{self.n}", sources)
        if photos is not None:
            self.monkeypatch.setattr(self.script, f"PHOTOS{self.n}", photos)

    def check(self) -> None:
        getattr(self.script, f"check_set{self.n}")()


@pytest.fixture(params=LATER_SETS, ids=lambda n: f"set{n}")
def later(request, script, monkeypatch):
    return LaterSet(script, monkeypatch, request.param)


def _renamed(source, name):
    return dataclasses.replace(source, package=dataclasses.replace(source.package, name=name))


def test_check_refuses_a_corpus_package(later):
    from jpegaf.data.corpus.sources import ALL_PACKAGES

    later.swap(sources=(_renamed(later.sources[0], ALL_PACKAGES[0].name),) + later.sources[1:])
    with pytest.raises(AssertionError):
        later.check()


def test_check_refuses_the_same_package_twice(later):
    # Two sources renamed to one package ...
    first, second = later.sources[0], later.sources[1]
    later.swap(sources=(first, _renamed(second, first.package.name)) + later.sources[2:])
    with pytest.raises(AssertionError, match="duplicate package"):
        later.check()


def test_check_refuses_the_same_package_under_a_second_key(later):
    # ... or one package added again under another key, with a photograph of its own.
    first = later.sources[0]
    twin = dataclasses.replace(first, package=dataclasses.replace(first.package, key="twin"))
    photo = dataclasses.replace(later.photos[0], source="twin", scene="twin_scene", path="elsewhere/twin.tif")
    later.swap(sources=later.sources + (twin,), photos=later.photos + (photo,))
    with pytest.raises(AssertionError, match="duplicate package"):
        later.check()


def test_check_refuses_a_source_without_a_photograph(later):
    key = later.sources[-1].key
    later.swap(photos=tuple(p for p in later.photos if p.source != key))
    with pytest.raises(AssertionError, match="without a photograph"):
        later.check()


def test_check_refuses_a_third_photo_from_one_package(later):
    key = later.photos[0].source
    extra = dataclasses.replace(later.photos[0], path="another/file_a.png", scene="extra_a")
    extra2 = dataclasses.replace(extra, path="a/third_b.png", scene="extra_b")
    later.swap(photos=later.photos + (extra, extra2))
    assert sum(p.source == key for p in later.photos) > getattr(later.script, f"MAX_PER_PACKAGE{later.n}")
    with pytest.raises(AssertionError):
        later.check()


def test_check_refuses_duplicate_and_earlier_scene_names(later):
    photos = later.photos
    later.swap(photos=photos + (dataclasses.replace(photos[0], path="another/file_c.png"),))
    with pytest.raises(AssertionError, match="duplicate scene"):
        later.check()
    for earlier in EARLIER_SCENES[later.n]:
        old = dataclasses.replace(photos[0], scene=getattr(later.script, earlier)[0].scene)
        later.swap(photos=(old,) + photos[1:])
        with pytest.raises(AssertionError, match="scene name of set"):
            later.check()


def test_check_refuses_the_same_file_twice(later):
    twin = dataclasses.replace(later.photos[0], scene="same_file_again")
    later.swap(photos=later.photos + (twin,))
    with pytest.raises(AssertionError, match="duplicate file"):
        later.check()
