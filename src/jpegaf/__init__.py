"""jpegaf: JPEG compression anti-forensics and the forensic detectors that judge it."""

__version__ = "0.1.0"
