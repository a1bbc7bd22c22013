"""Run every benchmarks/bench_*.py module and print its figures.

    python benchmarks/run.py [NAME ...]     (or: make bench [BENCH="foundation"])

Each module has a ``run()`` generator yielding ``(name, value, unit)`` tuples; each is
printed as ``name: value unit``. Optional NAME arguments keep only the modules whose name
contains one of them. The run uses a fresh SQLite database in a temporary folder (never the
developer's var/ and never DATABASE_URL), migrated before the first module runs.
"""

import importlib
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"


def _format(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _modules(filters):
    names = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    if filters:
        names = [n for n in names if any(f in n for f in filters)]
    return names


def main(argv):
    filters = argv[1:]
    names = _modules(filters)
    if not names:
        print("no benchmark modules matched", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="bilgiislem-bench-") as var_dir:
        os.environ.pop("DATABASE_URL", None)
        os.environ["BILGIISLEM_VAR_DIR"] = var_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        for path in (str(ROOT / "src"), str(ROOT), str(BENCH_DIR)):
            if path not in sys.path:
                sys.path.insert(0, path)

        import django
        from django.core.management import call_command

        django.setup()
        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"# migrated a fresh SQLite database in {time.perf_counter() - t0:.1f} s", flush=True)

        failed = []
        for name in names:
            print(f"# {name}", flush=True)
            try:
                module = importlib.import_module(name)
                for fig_name, value, unit in module.run():
                    print(f"{fig_name}: {_format(value)} {unit}".rstrip(), flush=True)
            except Exception:
                traceback.print_exc()
                failed.append(name)
        # Close connections before the temporary folder (and the database in it) goes.
        from django.db import connections

        connections.close_all()

    if failed:
        print(f"# failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
