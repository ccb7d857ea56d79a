"""JPEG codec access: compression, decoding, DCT coefficients and quality tables.

Only :mod:`jpegaf.jpeg.codec` touches libjpeg; everything else in the project goes through the
names re-exported here.
"""

from .codec import (
    LIBJPEG_VERSION,
    JpegCoefficients,
    compress,
    decompress,
    decompress_luma,
    from_coefficients,
    jpeg_roundtrip,
    libjpeg_version,
    read_coefficients,
    read_header,
)
from .dct import block_dct, block_idct, to_uint8
from .markers import DEFAULT_MAX_PIXELS, JpegHeader
from .tables import QualityEstimate, check_quality, estimate_quality, quality_to_table

__all__ = [
    "LIBJPEG_VERSION", "DEFAULT_MAX_PIXELS", "JpegCoefficients", "JpegHeader", "QualityEstimate",
    "block_dct", "block_idct", "check_quality", "compress", "decompress", "decompress_luma", "estimate_quality",
    "from_coefficients", "jpeg_roundtrip", "libjpeg_version", "quality_to_table",
    "read_coefficients", "read_header", "to_uint8",
]
