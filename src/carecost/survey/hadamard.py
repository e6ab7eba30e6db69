"""Hadamard matrices for balanced repeated replication, built as R ``survey::hadamard``.

:func:`hadamard` returns the same 0/1 matrix as R survey 4.1.1's ``hadamard(n)`` (checked
for n = 1..100 in ``tests/reference/extras.csv``): one of four stored matrices (orders 4,
16, 28 and 36, the ones R's ``survey`` package stores; orders 28 and 36 from Sloane's
library of Hadamard matrices), a Paley (1933) construction from a prime
:math:`p \\equiv 3 \\pmod 4`, or Sylvester doublings :math:`H \\to [[H, H], [H, 1-H]]`.
Its first row and column are all ones; each other column has as many ones as zeros, and
any two columns agree in half the rows (full orthogonal balance; Wolter 2007, section 3.4).

References
----------
Paley, R. E. A. C. (1933). On orthogonal matrices. *J. Math. and Physics* 12, 311–320.
Sloane, N. J. A. A library of Hadamard matrices. http://neilsloane.com/hadamard/
Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., chapter 3. Springer.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["hadamard", "paley"]

IntMatrix = NDArray[np.int64]

_STORED_ROWS = {
    4: "1111 1010 1100 1001",
    16: "1111111111111111 1010101010101010 1100110011001100 1001100110011001 "
        "1111000011110000 1010010110100101 1100001111000011 1001011010010110 "
        "1111111100000000 1010101001010101 1100110000110011 1001100101100110 "
        "1111000000001111 1010010101011010 1100001100111100 1001011001101001",
    28: "1111111111111111111111111111 1001110001110001110001111000 "
        "1000001111001101001101111000 1000001110110010111001100110 "
        "1001101000001111100011010110 1001010100101100010110101110 "
        "1000110011010010001110011110 0101100010101010011111110000 "
        "0100010110110101100111010100 0100011011001011110010101100 "
        "0101011000010111011101001010 0100101101100100111010011010 "
        "0101100101011001101100100110 0010110100011110101011101000 "
        "0011011001100110101100110100 0010101100111011010100011100 "
        "0011000111010111010010110010 0011001011111000100111001010 "
        "0010110011101101011001000110 1110101001010100010111100100 "
        "1111000101100011001011001100 1111000010011100111000011100 "
        "1110010101001010110101010010 1110011000111001001010110010 "
        "1110100010100111100100101010 1101111111111110000000000000 "
        "1011111110000001111110000000 0111111110000000000001111110",
    36: "111111111111111111111111111111111111 010111000111110111001000010101100100 "
        "101110001111101110010000101011001000 011100011111011100100001010110010010 "
        "111000111110111001000010101100100100 110001111101110010000101011001001010 "
        "100011111011100100001010110010010110 000111110111001000010101100100101110 "
        "001111101110010000101011001001011100 011111011100100001010110010010111000 "
        "111110111001000010101100100101110000 111101110010000101011001001011100010 "
        "111011100100001010110010010111000110 110111001000010101100100101110001110 "
        "101110010000101011001001011100011110 011100100001010110010010111000111110 "
        "111001000010101100100101110001111100 110010000101011001001011100011111010 "
        "100100001010110010010111000111110110 001000010101100100101110001111101110 "
        "010000101011001001011100011111011100 100001010110010010111000111110111000 "
        "000010101100100101110001111101110010 000101011001001011100011111011100100 "
        "001010110010010111000111110111001000 010101100100101110001111101110010000 "
        "101011001001011100011111011100100000 010110010010111000111110111001000010 "
        "101100100101110001111101110010000100 011001001011100011111011100100001010 "
        "110010010111000111110111001000010100 100100101110001111101110010000101010 "
        "001001011100011111011100100001010110 010010111000111110111001000010101100 "
        "100101110001111101110010000101011000 001011100011111011100100001010110010",
}
SIZES = (4, 16, 28, 36)
PRIME_LIMIT = 7919
"""Largest prime R's ``paley`` uses (its list: the primes :math:`\\equiv 3 \\pmod 4` up to
7919)."""


def _stored(order: int) -> IntMatrix:
    rows = _STORED_ROWS[order].split()
    return np.array([[int(ch) for ch in r] for r in rows], dtype=np.int64)


def _small_primes() -> list[int]:
    """Primes :math:`p \\equiv 3 \\pmod 4` with :math:`3 \\le p \\le 7919` (R's list)."""
    sieve = np.ones(PRIME_LIMIT + 1, dtype=bool)
    sieve[:2] = False
    for i in range(2, int(PRIME_LIMIT**0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = False
    return [int(p) for p in np.flatnonzero(sieve) if p % 4 == 3]


def _double(h: IntMatrix) -> IntMatrix:
    return np.block([[h, h], [h, 1 - h]])


def _paley_prime(p: int) -> IntMatrix:
    """Paley's matrix of order :math:`p + 1` for a prime :math:`p \\equiv 3 \\pmod 4`."""
    m = np.add.outer(np.arange(p), np.arange(p)) % p
    half = (p - 1) // 2
    residues = {0, 1} | {(i * i) % p for i in range(2, half + 1)}
    m = np.where(np.isin(m, list(residues)), 0, 1)
    out = np.ones((p + 1, p + 1), dtype=np.int64)
    out[1:, 1:] = m
    return out


def paley(n: int, nmax: int | None = None) -> IntMatrix | None:
    """A Hadamard matrix of order at least ``n + 1`` from Paley's construction, as R
    ``survey::paley(n, nmax)``, or ``None`` when none of order at most ``nmax`` is found."""
    nmax = 2 * n if nmax is None else nmax
    primes = _small_primes()
    nceil = nn = n + 4 - (n % 4)
    if (n % 4) + 4 == (n % 8):
        while nn % 8 == 0:
            nn //= 2
        if nn - 1 in primes:
            m = _paley_prime(nn - 1)
            while nn < nceil:
                m = _double(m)
                nn *= 2
            return m
    if n > primes[-1]:
        return None
    p = min(q for q in primes if q >= n)
    if p + 1 > nceil + 4 and nceil + 4 < nmax:
        return paley(nceil + 3)
    if p > nmax:
        return None
    return _paley_prime(p)


def hadamard(n: int) -> IntMatrix:
    """The 0/1 Hadamard matrix R ``survey::hadamard(n)`` returns for ``n`` strata (pairs):
    order at least ``n + 1``, rows 2..n+1 give each pair's half-sample per replicate
    (columns)."""
    if n < 0:
        raise ValueError(f"hadamard: n must be non-negative, got {n}")
    m = n - n % 4
    precooked = [s for s in SIZES if m < s <= m + 4]
    if precooked:
        return _stored(min(precooked))
    if all(m < s for s in SIZES):  # pragma: no cover - covered by the precooked case
        return _stored(SIZES[0])
    sizes = [s * 2 ** max(0, int(np.ceil(np.log2((n + 1) / s)))) for s in SIZES]
    best = int(np.argmin([s - n for s in sizes]))
    h: IntMatrix | None = None
    if sizes[best] - n > 4:
        h = paley(n, sizes[best])
    if h is None:
        h = _stored(SIZES[best])
        for _ in range(round(float(np.log2(sizes[best] / SIZES[best])))):
            h = _double(h)
    return h
