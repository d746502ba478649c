"""Offline-first venue check-in kiosk for Ho Chi Minh City's Covid cards."""
