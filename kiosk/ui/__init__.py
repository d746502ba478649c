"""The PySide6 app: guard screen, manager view, technician provisioning.

Passive views over :mod:`kiosk.runtime`; the only package that imports Qt.
"""
