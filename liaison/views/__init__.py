"""Server-rendered pages of the hub, one module per area (auth, dashboard, letters, ledger, notifications)."""
