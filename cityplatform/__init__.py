"""The reference city platform: the HTTP server that kiosks sync to.

``docs/sync-protocol.md`` is the contract it implements; ``docs/platform.md`` says how to
run it. Nothing happens at import time: :func:`cityplatform.app.create_app` builds the
application around a :class:`cityplatform.store.PlatformStore`.
"""
