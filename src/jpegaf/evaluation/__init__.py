"""Evaluation of the anti-forensic methods on held-out images: the grid of Luo et al.'s Tables I
and II (:mod:`.grid`), the tables made from it (:mod:`.tables`) and the paper's published numbers
(:mod:`.paper`)."""

from .grid import (ALL_METHODS, ORIGINAL, EvalConfig, grid_calibrations, method_seed, read_rows,
                   run_grid, evaluation_images, write_rows)
from .paper import PAPER_METHOD, TABLE1, TABLE2, paper_table1, paper_table2
from .tables import table1, table1_markdown, table2, table2_markdown, write_tables

__all__ = [
    "ALL_METHODS", "ORIGINAL", "PAPER_METHOD", "TABLE1", "TABLE2", "EvalConfig", "grid_calibrations",
    "method_seed", "paper_table1", "paper_table2", "read_rows", "run_grid",
    "table1", "table1_markdown", "table2", "table2_markdown", "evaluation_images", "write_rows", "write_tables",
]
