"""Fixtures shared by the training tests."""

import shutil

import pytest


@pytest.fixture(scope="session")
def sample_folder(tmp_path_factory):
    """``sample_folder(files, name)``: a new temporary folder holding copies of ``files``."""
    def make(files, name: str):
        folder = tmp_path_factory.mktemp(name)
        for p in files:
            shutil.copy(p, folder / p.name)
        return folder
    return make


@pytest.fixture(scope="module")
def data_dir(sample_folder, sample_files):
    """A folder of six bundled sample images: a GAN run of a few seconds on them."""
    return sample_folder(sample_files[:6], "data")
