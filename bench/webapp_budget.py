"""The web app's budgets: `.venv/bin/python bench/webapp_budget.py` (after `make webapp`).

1. JavaScript of the app's first load, gzipped: the entry chunk of index.html and every chunk it
   imports statically, as Vite's manifest lists them (GraphiQL's page and lazy chunks excluded).
   Target: under 350 KB.
2. The customer list showing 50 customers after a navigation to it, in Debian's Chromium against
   a real server: from the navigation's start (performance.now()) to the 50th row in the table,
   with the bench data set (200 customers of one partner), signed in, with an empty cache (a
   first visit: the page, its JavaScript, the viewer and the customers). Target: under 1 s.
Prints both and exits 1 when one is over its target.
"""

import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from tests.browser.harness import (  # noqa: E402
    chromium,
    missing_prerequisite,
    watched_page,
)
from tests.processes import running_server  # noqa: E402

DIST = PROJECT_DIR / "webapp" / "dist"
JS_BUDGET_KB = 350.0
LIST_BUDGET_MS = 1000.0
CUSTOMERS = 200
RUNS = 7


def first_load_chunks(manifest: dict[str, dict[str, object]], key: str) -> list[str]:
    """The chunk of `key` and, depth first, every chunk it imports statically."""
    seen: list[str] = []

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.append(name)
        imports = manifest[name].get("imports", [])
        assert isinstance(imports, list)
        for imported in imports:
            visit(str(imported))

    visit(key)
    return [str(manifest[name]["file"]) for name in seen]


def first_load_kb() -> float:
    manifest = json.loads((DIST / ".vite" / "manifest.json").read_text())
    total = 0
    for file in first_load_chunks(manifest, "index.html"):
        size = len(gzip.compress((DIST / file).read_bytes(), compresslevel=9))
        print(f"  {file}: {size / 1024:.1f} KB gzipped")
        total += size
    return total / 1024


def customer_list_ms(work_dir: Path) -> list[float]:
    database_url = f"sqlite+aiosqlite:///{work_dir / 'budget.db'}"
    seeded = subprocess.run(
        [sys.executable, "bench/seed.py", "--customers", str(CUSTOMERS), "--subscriptions", "2"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    token: str = json.loads(seeded.stdout)["token"]
    timings = []
    with running_server(database_url, work_dir) as server, chromium() as browser:
        for _ in range(RUNS):
            # A new context each time: an empty cache, as on a first visit; signed in already.
            with watched_page(browser, server.url) as page:
                page.context.add_init_script(
                    f"sessionStorage.setItem('csp.apiKey', {json.dumps(token)})"
                )
                page.goto("/")
                page.wait_for_function(
                    "() => document.querySelectorAll('main table tbody tr').length >= 50"
                )
                timings.append(float(page.evaluate("() => performance.now()")))
    return timings


def main() -> int:
    reason = missing_prerequisite()
    if reason is not None:
        print(f"budget: cannot run: {reason}", file=sys.stderr)
        return 1
    print("first load of the app:")
    kb = first_load_kb()
    print(f"JavaScript on first load: {kb:.1f} KB gzipped (budget {JS_BUDGET_KB:.0f} KB)")
    with tempfile.TemporaryDirectory(prefix="csp-budget-") as tmp:
        timings = customer_list_ms(Path(tmp))
    median, worst = statistics.median(timings), max(timings)
    print(
        f"customer list, 50 of {CUSTOMERS} customers shown after navigation: median "
        f"{median:.0f} ms, slowest {worst:.0f} ms of {RUNS} (budget {LIST_BUDGET_MS:.0f} ms)"
    )
    return 0 if kb < JS_BUDGET_KB and worst < LIST_BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
