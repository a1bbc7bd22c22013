"""Reads of the service desk that are more than a lookup: the Chief's and Director's
dashboard (dashboard.py) and the monthly report per partner organisation (reports.py)."""
