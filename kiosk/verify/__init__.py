"""Offline verification: keys, the trust store, revocations and signed trust bundles."""
