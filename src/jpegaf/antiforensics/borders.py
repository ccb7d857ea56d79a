"""Two small stages against the blocking measures, each changing a few pixels next to the 8x8
block borders (not in any paper; issue 14): border smoothing (K_U, a stage of ``gan+f3-light``
and ``gan+targeted``) and corner matching (K_F, a stage of ``gan+targeted``,
:func:`match_corner_differences`).

After the generator and F3's eased second TV round, the third difference across the 8x8 block
borders is still larger than across the block centres on many photographs, which is what K_U^1
(:func:`jpegaf.detectors.blocking.gradient_blockiness`) reads: on the held-out crops of
``make demo`` it was the worst classical detector of ``gan+f3-light`` at QF 25 and 50. F3's
full second round removes it too, but at 1.0–1.7 dB; here only what K_U measures is changed.

K_U compares the mean of |t| over the border terms
``t = x[n-1] - 3 x[n] + 3 x[n+1] - x[n+2]`` (n = 8m - 1, along rows and columns) with the same
mean over the block centres (n = 8m + 3). A detector may look at any crop, so the difference is
driven down in every ``tile`` x ``tile`` tile, not only over the whole image: each pass takes, in
every tile still above ``target``, the border terms with the largest |t| first and moves one of
their two middle pixels by one grey level toward a smaller |t| (|t| falls by 3), until the
tile's expected difference reaches ``target``. Block centres are never touched (they are the
calibration terms: raising them would add noise), each pixel moves by one grey level per pass
and at most ``max_shift`` in all (a border term made by a real edge is not flattened), and the
pixels around block corners, which K_F reads, are left alone. On the corpus's calibration crops
after the generator it costs 0.01–0.03 dB (``results/antiforensic/hybrid-stages.md``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["BORDER_STAGE", "block_border_gap", "match_corner_differences", "smooth_block_borders"]

_STENCIL = (1, -3, 3, -1)
# Defaults of both stages. TILE: 64 px holds 64 blocks, enough terms for a stable mean, and any
# crop a detector reads (64-512 px) is close to a union of such tiles. TARGET: the median K_U^1
# of never-compressed 64-px crops of the corpus is 0.39 (0.15 at 256 px): 0.25 keeps the gap
# in the originals' range at every crop size. MAX_SHIFT: a border term made by a real edge
# is left alone once its pixels moved by this many grey levels.
TILE, TARGET, PASSES, MAX_SHIFT = 64, 0.25, 20, 2
#: The stages' parameters as text (part of the evaluation's cache keys).
BORDER_STAGE = (f"smooth_block_borders(tile={TILE}, target={TARGET}, passes={PASSES}, max_shift={MAX_SHIFT}) "
                f"match_corner_differences(tile={TILE})")


def _third_differences(x: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray]:
    """t[i, j] = x[i, n-1] - 3 x[i, n] + 3 x[i, n+1] - x[i, n+2] for n = first + 8 j, every n
    with n - 1 >= 0 and n + 2 < width. x: (H, W) int64 -> t (H, count) int64 and n (count,)."""
    w = x.shape[1]
    n = np.arange(first, w - 2, 8)
    n = n[n >= 1]
    return sum(c * x[:, n + k - 1] for k, c in enumerate(_STENCIL)), n


def _tile_means(values: np.ndarray, rows: np.ndarray, cols: np.ndarray, tile: int,
                shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of |values| per tile; values (len(rows), len(cols)) at pixel rows x cols."""
    ti = (rows // tile)[:, None] * shape[1] + (cols // tile)[None, :]
    ti = np.broadcast_to(ti, values.shape).ravel()
    n_tiles = shape[0] * shape[1]
    return (np.bincount(ti, np.abs(values).ravel(), n_tiles), np.bincount(ti, None, n_tiles))


def block_border_gap(img: np.ndarray, tile: int = 64) -> np.ndarray:
    """Per tile, mean |third difference| across block borders minus across block centres (both
    directions; the quantity K_U^1 takes the absolute value of, here localised).

    img: (H, W) integer-valued -> (ceil(H / tile), ceil(W / tile)) float64 (NaN for a tile that
    holds no term).
    """
    x = np.asarray(img, dtype=np.int64)
    shape = (-(-x.shape[0] // tile), -(-x.shape[1] // tile))
    sums = {}
    for kind, first in (("border", 7), ("centre", 3)):
        s_total = np.zeros(shape[0] * shape[1])
        c_total = np.zeros_like(s_total)
        for plane, transpose in ((x, False), (x.T, True)):
            t, n = _third_differences(plane, first)
            rows, cols = np.arange(plane.shape[0]), n
            if transpose:  # t is (W, count) of the transposed plane: rows are image columns
                s, c = _tile_means(t.T, cols, rows, tile, shape)
            else:
                s, c = _tile_means(t, rows, cols, tile, shape)
            s_total += s
            c_total += c
        sums[kind] = (s_total, c_total)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = sums["border"][0] / sums["border"][1] - sums["centre"][0] / sums["centre"][1]
    return gap.reshape(shape)


def _smooth_pass(x: np.ndarray, x0: np.ndarray, gap: np.ndarray, target: float, tile: int, parity: int,
                 max_shift: int) -> int:
    """One pass along the rows of x (in place): in each tile whose gap exceeds target, move
    pixels of the largest border terms until the expected gap reaches it. Returns the number
    of pixels moved."""
    h, w = x.shape
    shape = gap.shape
    t, n = _third_differences(x, 7)
    if t.size == 0:
        return 0
    rows = np.arange(h)
    ti = ((rows // tile)[:, None] * shape[1] + (n // tile)[None, :]).ravel()
    a = np.abs(t).ravel()
    # Moving one middle pixel by sgn(t) lowers |t| by 3 (by 1 from 2); below 2 a move would
    # raise it.
    reduction = np.where(a >= 3, 3, np.where(a == 2, 1, 0)).astype(np.float64)
    # The four pixels around a block corner are K_F's (Fan & de Queiroz): rows 8k - 1 and 8k
    # are left alone so that K_F's corner histogram does not change.
    reduction[np.repeat(rows % 8 >= 7, n.size) | np.repeat(rows % 8 == 0, n.size)] = 0.0
    # Budget per tile, in units of summed |t|: lowering the gap by e takes e times the tile's
    # border terms of both directions, about twice this direction's n_terms; one pass spends
    # half of that, and the pass across the other borders (after recomputing) the rest.
    n_terms = np.bincount(ti, None, shape[0] * shape[1])
    excess = np.nan_to_num(gap.ravel() - target, nan=0.0).clip(min=0.0)
    budget = excess * n_terms
    order = np.lexsort((-a, ti))
    red_sorted = reduction[order]
    cum = np.cumsum(red_sorted)
    group_start = np.searchsorted(ti[order], np.arange(shape[0] * shape[1]))
    before = cum - red_sorted - np.concatenate([[0.0], cum])[group_start[ti[order]]]
    chosen = order[(red_sorted > 0) & (before < budget[ti[order]])]
    if chosen.size == 0:
        return 0
    i, j = np.divmod(chosen, n.size)
    col = n[j] + ((i + j + parity) % 2)  # alternate between the two middle pixels
    sign = np.sign(t.ravel()[chosen])
    # x[n] enters t with -3 and x[n+1] with +3: raising x[n] or lowering x[n+1] lowers t.
    delta = np.where(col == n[j], sign, -sign)
    new = x[i, col] + delta
    ok = (new >= 0) & (new <= 255) & (np.abs(new - x0[i, col]) <= max_shift)
    x[i[ok], col[ok]] = new[ok]
    return int(ok.sum())


def smooth_block_borders(img: np.ndarray, *, tile: int = TILE, target: float = TARGET,
                         passes: int = PASSES, max_shift: int = MAX_SHIFT) -> np.ndarray:
    """Lower the border-minus-centre gap of every ``tile`` x ``tile`` tile to ``target`` (module
    doc). Alternates passes across vertical and horizontal borders, recomputing the gap before
    each, until every tile is at or below ``target`` or ``passes`` pairs are done.

    img: (H, W) real-valued (rounded and clipped to [0, 255] first) -> float64 (H, W),
    integer-valued in [0, 255]. A tile already below target is left as it is.
    """
    if tile < 16 or tile % 8:
        raise ValueError(f"tile must be a multiple of 8 and at least 16, got {tile}")
    x = np.clip(np.floor(np.asarray(img, dtype=np.float64) + 0.5), 0, 255).astype(np.int64)
    if x.ndim != 2:
        raise ValueError(f"need a 2-D plane, got shape {x.shape}")
    x0 = x.copy()
    for k in range(passes):
        moved = 0
        for transpose in (False, True):
            gap = block_border_gap(x, tile)
            if not np.any(gap > target):
                return x.astype(np.float64)
            plane, plane0 = (x.T, x0.T) if transpose else (x, x0)  # views: the pass writes into x
            moved += _smooth_pass(plane, plane0, gap.T if transpose else gap, target, tile, k, max_shift)
        if moved == 0:
            break
    return x.astype(np.float64)


def _split_integer(delta: np.ndarray, parts: int) -> np.ndarray:
    """Integers d (len(delta), parts) summing to delta with the smallest sum of squares (each
    |d| is floor(|delta| / parts) or one more)."""
    mag = np.abs(delta)
    base, extra = np.divmod(mag, parts)
    d = base[:, None] + (np.arange(parts)[None, :] < extra[:, None])
    return np.sign(delta)[:, None] * d


def match_corner_differences(img: np.ndarray, rng: np.random.Generator, *, tile: int = TILE) -> np.ndarray:
    """Give the block corners the inner blocks' second differences, tile by tile (what K_F reads).

    K_F (:func:`jpegaf.detectors.blocking.blocking_kf`) compares the histogram of
    ``|A - B - C + D|`` over the four central pixels of each block with that of
    ``|E - F - G + H|`` over the four pixels around each block corner. Here, in every ``tile``
    x ``tile`` tile, the corners' magnitudes are replaced by the inner ones matched by rank (the
    largest corner difference gets the largest inner one: the smallest total change, as in a
    one-dimensional optimal transport), keeping each corner's sign; the change is spread as
    evenly as integers allow over the four corner pixels, with the signs that move E - F - G + H.
    Within a tile the two histograms then coincide, and so they do over any union of tiles.
    Ties between equal corner magnitudes are broken by ``rng``.

    img: (H, W) real-valued (rounded and clipped first) -> float64 (H, W) integer-valued in
    [0, 255]; only corners whose four pixels lie in the image are used (the last block row and
    column have none). A corner change that would leave [0, 255] is not made.
    """
    if tile < 16 or tile % 8:
        raise ValueError(f"tile must be a multiple of 8 and at least 16, got {tile}")
    x = np.clip(np.floor(np.asarray(img, dtype=np.float64) + 0.5), 0, 255).astype(np.int64)
    if x.ndim != 2:
        raise ValueError(f"need a 2-D plane, got shape {x.shape}")
    bh, bw = x.shape[0] // 8 - 1, x.shape[1] // 8 - 1
    if bh < 1 or bw < 1:
        return x.astype(np.float64)
    r = 8 * np.arange(bh)[:, None]
    c = 8 * np.arange(bw)[None, :]
    inner = (x[r + 3, c + 3] - x[r + 3, c + 4] - x[r + 4, c + 3] + x[r + 4, c + 4]).ravel()
    corner = (x[r + 7, c + 7] - x[r + 7, c + 8] - x[r + 8, c + 7] + x[r + 8, c + 8]).ravel()
    per = tile // 8
    tiles = ((np.arange(bh) // per)[:, None] * (-(-bw // per)) + (np.arange(bw) // per)[None, :]).ravel()
    # Sort both by (tile, magnitude); within a tile the k-th corner gets the k-th inner value.
    noise = rng.random(corner.size)
    by_corner = np.lexsort((noise, np.abs(corner), tiles))
    by_inner = np.lexsort((np.abs(inner), tiles))
    target = np.empty_like(corner)
    target[by_corner] = np.abs(inner[by_inner])
    sign = np.where(corner < 0, -1, 1)
    delta = sign * target - corner
    # E and H enter with +, F and G with -: the pixel steps that add delta.
    d = _split_integer(delta, 4) * np.array([1, -1, -1, 1])[None, :]
    rows = (r + 7 + np.zeros_like(c)).ravel()
    cols = (c + 7 + np.zeros_like(r)).ravel()
    offsets = ((0, 0), (0, 1), (1, 0), (1, 1))
    new = np.stack([x[rows + dy, cols + dx] + d[:, k] for k, (dy, dx) in enumerate(offsets)], axis=1)
    ok = np.all((new >= 0) & (new <= 255), axis=1)
    for k, (dy, dx) in enumerate(offsets):
        x[rows[ok] + dy, cols[ok] + dx] = new[ok, k]
    return x.astype(np.float64)
