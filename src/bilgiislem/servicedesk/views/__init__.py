"""Service desk pages (Destek). One module per concern; urls.py imports them by module."""
