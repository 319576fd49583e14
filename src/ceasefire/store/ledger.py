from ceasefire.ledger import MemoryTree

__all__ = ["MemoryTree"]
