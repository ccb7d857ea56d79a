"""Fixtures shared by the GAN training tests."""

import shutil

import pytest


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, sample_files):
    """A folder of six bundled sample images: a GAN run of a few seconds on them."""
    folder = tmp_path_factory.mktemp("data")
    for p in sample_files[:6]:
        shutil.copy(p, folder / p.name)
    return folder
