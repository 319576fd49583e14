"""The ledger's own error: a proof that does not prove what it was asked to.

Bad questions (a leaf index past the tree size, an old size larger than the new one) are
``InvalidInputError`` from ``ceasefire.domain.errors``; ``ProofError`` is for answers
that fail to check out. Both are ``CeasefireError``.
"""

from __future__ import annotations

from ceasefire.domain.errors import CeasefireError


class ProofError(CeasefireError):
    """An inclusion or consistency proof failed verification; the message says which check."""
