"""GRIM consistency of reported percentages (Brown & Heathers 2017), integer arithmetic.

The one implementation used by the portal analysis (with the configured rounding rule) and by
the claims audit (which does not know the authors' rounding and accepts either tie rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

ROUNDINGS = ("half_up", "half_even", "either")  # "either": a tie may round up or down


def _scaled(pct_text: str, decimals: int) -> int:
    """The printed percentage as an integer count of its last digit (49.3 at 1 dp -> 493)."""
    d = Decimal(str(pct_text))
    return int(d.scaleb(decimals).to_integral_exact())


def grim_k(pct_text: str, decimals: int, n: int, rounding: str = "half_up") -> int | None:
    """The smallest k in 0..n with round(100 k / n, decimals) == pct, or None.

    Exact integer arithmetic. With S = 100 * 10**decimals and P the printed value times
    10**decimals, k/n rounds to P when (2P - 1) n <= 2 S k < (2P + 1) n (``half_up``: a tie
    goes up), for ``half_even`` a tie goes to the even last digit, and for ``either`` a tie
    on either side counts (the printed value is within half a unit of 100 k / n).
    """
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding {rounding!r} is not one of {ROUNDINGS}")
    if n <= 0:
        return None
    p = _scaled(pct_text, decimals)
    s = 100 * 10**decimals
    lo, hi = (2 * p - 1) * n, (2 * p + 1) * n  # bounds on 2 s k
    k = max(0, -(-lo // (2 * s)))  # ceil(lo / 2s)
    while k <= n and 2 * s * k <= hi:
        v = 2 * s * k
        if lo < v < hi:
            return k
        if v == lo:  # 100k/n is exactly P - 0.5: rounds up to P under half_up
            if rounding in ("half_up", "either") or (rounding == "half_even" and p % 2 == 0):
                return k
        elif v == hi:  # exactly P + 0.5: rounds to P under half_even with P even
            if rounding == "either" or (rounding == "half_even" and p % 2 == 0):
                return k
        k += 1
    return None


def grim_feasible(
    pct_text: str, decimals: int, max_n: int, rounding: str = "half_up"
) -> list[tuple[int, int]]:
    """All (n, k) with 1 <= n <= max_n for which k/n can print as ``pct_text``."""
    out = []
    for n in range(1, max_n + 1):
        k = grim_k(pct_text, decimals, n, rounding)
        if k is not None:
            out.append((n, k))
    return out


def grim_common_n(feasible_sets: Sequence[Sequence[int]]) -> int | None:
    """The smallest n feasible for every percentage of a group, or None up to the bound."""
    if not feasible_sets:
        return None
    common = set(feasible_sets[0]).intersection(*map(set, feasible_sets[1:]))
    return min(common) if common else None


def grim_min_n(
    pct_text: str, decimals: int, max_n: int, rounding: str = "half_up"
) -> tuple[int, int] | None:
    """The smallest feasible (n, k) with n <= max_n, or None."""
    for n in range(1, max_n + 1):
        k = grim_k(pct_text, decimals, n, rounding)
        if k is not None:
            return n, k
    return None


def grim_share(pct_text: str, decimals: int, max_n: int, rounding: str = "half_up") -> float:
    """Share of n in 1..max_n that are feasible: how little the check can reject."""
    return len(grim_feasible(pct_text, decimals, max_n, rounding)) / max_n
