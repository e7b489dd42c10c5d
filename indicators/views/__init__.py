"""Indicator pages: the dashboards and drill-down (dashboard.py), the quarterly bulletins
(bulletins.py) and the annual judicial-review reports (reports.py)."""
