"""Asset pages (Taşınırlar). One module per concern; urls.py imports them by module."""
