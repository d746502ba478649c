"""The check-in log: every decision the screen shows, durable in SQLite before it shows."""
