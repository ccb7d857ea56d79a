"""The numbers Luo et al. (2018) publish, for side-by-side comparison with ours.

Methods are named as in the paper: ``"J"`` (JPEG), ``"F1"`` (Stamm et al. 2010), ``"F2"`` (Stamm &
Liu 2011) and ``"F"`` (the paper's GAN). The paper has no F3 (Fan et al. 2014).
All on BOSSBase + BOWS2 (4,000 test images), central crops of each size.
"""

from __future__ import annotations

import math
from typing import Final

#: Our method names -> the paper's (methods the paper lacks are absent).
PAPER_METHOD: Final[dict[str, str]] = {"jpeg": "J", "f1": "F1", "f2": "F2", "gan": "F"}

INF: Final[float] = math.inf

# Luo et al. 2018, Table I ("The average PSNR and SSIM values"):
# (size, method) -> {QF: (PSNR dB, SSIM)}. The paper prints INF for J at 64x64 (a few 64x64 crops
# are unchanged by JPEG, so the plain mean PSNR is infinite).
TABLE1: Final[dict[tuple[int, str], dict[int, tuple[float, float]]]] = {
    (64, "J"): {25: (INF, 0.884), 50: (INF, 0.928), 75: (INF, 0.956)},
    (64, "F1"): {25: (30.537, 0.800), 50: (31.548, 0.861), 75: (32.489, 0.910)},
    (64, "F2"): {25: (30.424, 0.814), 50: (31.674, 0.852), 75: (32.356, 0.870)},
    (64, "F"): {25: (33.559, 0.897), 50: (36.000, 0.938), 75: (38.615, 0.963)},
    (128, "J"): {25: (32.444, 0.886), 50: (34.912, 0.929), 75: (37.547, 0.957)},
    (128, "F1"): {25: (29.977, 0.764), 50: (32.226, 0.835), 75: (34.646, 0.892)},
    (128, "F2"): {25: (30.242, 0.810), 50: (31.453, 0.850), 75: (32.118, 0.870)},
    (128, "F"): {25: (33.508, 0.900), 50: (35.868, 0.939), 75: (38.548, 0.964)},
    (256, "J"): {25: (32.610, 0.890), 50: (35.074, 0.932), 75: (37.717, 0.959)},
    (256, "F1"): {25: (29.606, 0.732), 50: (31.788, 0.807), 75: (34.258, 0.875)},
    (256, "F2"): {25: (30.273, 0.805), 50: (31.468, 0.850), 75: (32.138, 0.872)},
    (256, "F"): {25: (33.605, 0.902), 50: (35.919, 0.940), 75: (38.633, 0.964)},
    (512, "J"): {25: (33.259, 0.898), 50: (35.730, 0.937), 75: (38.359, 0.962)},
    (512, "F1"): {25: (29.661, 0.702), 50: (31.825, 0.783), 75: (34.366, 0.860)},
    (512, "F2"): {25: (30.772, 0.809), 50: (32.007, 0.854), 75: (32.714, 0.879)},
    (512, "F"): {25: (34.090, 0.908), 50: (36.280, 0.943), 75: (38.975, 0.965)},
}

# Luo et al. 2018, Table II ("The detection rate of the CNN-based JPEG compression detector"):
# (size, method) -> {QF: detection rate in %} of the CNN detector (Bayar & Stamm 2017
# architecture) trained for that size, on the 4,000 test images.
TABLE2: Final[dict[tuple[int, str], dict[int, float]]] = {
    (64, "J"): {25: 100.00, 50: 100.00, 75: 99.95},
    (64, "F1"): {25: 100.00, 50: 99.45, 75: 89.43},
    (64, "F2"): {25: 0.05, 50: 0.0, 75: 0.0},
    (64, "F"): {25: 14.15, 50: 6.55, 75: 2.08},
    (128, "J"): {25: 99.98, 50: 99.95, 75: 98.15},
    (128, "F1"): {25: 94.73, 50: 58.00, 75: 20.75},
    (128, "F2"): {25: 0.0, 50: 0.0, 75: 0.0},
    (128, "F"): {25: 12.50, 50: 9.05, 75: 3.25},
    (256, "J"): {25: 99.98, 50: 99.93, 75: 98.95},
    (256, "F1"): {25: 91.76, 50: 39.65, 75: 9.25},
    (256, "F2"): {25: 0.18, 50: 0.13, 75: 0.025},
    (256, "F"): {25: 16.50, 50: 12.73, 75: 7.23},
    (512, "J"): {25: 99.98, 50: 99.90, 75: 97.33},
    (512, "F1"): {25: 77.08, 50: 19.80, 75: 4.65},
    (512, "F2"): {25: 0.0, 50: 0.0, 75: 0.0},
    (512, "F"): {25: 4.86, 50: 2.95, 75: 0.43},
}


def paper_table1(size: int, method: str, quality: int) -> tuple[float, float] | None:
    """The paper's (PSNR, SSIM) for our ``method`` name, or None where the paper has no number."""
    m = PAPER_METHOD.get(method)
    return None if m is None else TABLE1.get((size, m), {}).get(quality)


def paper_table2(size: int, method: str, quality: int) -> float | None:
    """The paper's CNN detection rate (%) for our ``method`` name, or None."""
    m = PAPER_METHOD.get(method)
    return None if m is None else TABLE2.get((size, m), {}).get(quality)
