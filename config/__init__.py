import sys
from pathlib import Path

# The apps live under src/ (STYLE.md); every entry point imports config first.
_SRC = str(Path(__file__).resolve().parent.parent / "src")
if _SRC not in sys.path:
    sys.path.insert(0, _SRC)
