"""Data sets of never-compressed images and their JPEG versions, following Luo et al.'s protocol.

- :mod:`.folder`: scan and check a folder of images, load luma, split into train and test.
- :mod:`.crops`: 8-aligned crop positions (training crops, central test crops), dihedral
  augmentation applied before compression.
- :mod:`.corpus`: build the training corpus from registry packages; read a corpus's split.
- :mod:`.pairs`: PyTorch datasets of (original, JPEG) pairs made with the project's real libjpeg,
  with an optional on-disk cache.
"""

from .crops import (
    DIHEDRAL,
    augment,
    centre_crop_position,
    crop,
    grid_cells,
    random_augmentation,
    train_crop_positions,
)
from .folder import (
    DEFAULT_MIN_SIZE,
    IMAGE_SUFFIXES,
    DatasetParts,
    JPEG_SUFFIXES,
    FolderScan,
    Split,
    check_image_file,
    dataset_parts,
    format_report,
    image_size,
    load_luma,
    scan_folder,
    split_files,
)
from .pairs import (
    IMAGE_CACHE_SIZE,
    CropSpec,
    JpegCropCache,
    MixedQualityPairs,
    CentreCropPairs,
    TrainPairs,
    from_unit_range,
    make_original,
    make_pair,
    to_unit_range,
    unit_range,
)

__all__ = [
    "DEFAULT_MIN_SIZE", "DIHEDRAL", "IMAGE_CACHE_SIZE", "IMAGE_SUFFIXES", "JPEG_SUFFIXES",
    "CropSpec", "DatasetParts", "FolderScan", "JpegCropCache", "MixedQualityPairs", "Split", "CentreCropPairs", "TrainPairs", "augment",
    "centre_crop_position", "check_image_file", "crop", "dataset_parts", "format_report", "from_unit_range",
    "grid_cells", "image_size", "load_luma", "make_original", "make_pair", "random_augmentation",
    "scan_folder", "split_files", "to_unit_range", "train_crop_positions", "unit_range",
]
