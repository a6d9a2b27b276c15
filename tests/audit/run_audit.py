"""The GraphQL-over-HTTP conformance audit (npm graphql-http) against a real `serve` process.

A fresh SQLite database, demo data, a server on a free port, then `node audit.mjs`; exits with
node's status. Skips (exit 0) when Node.js is not installed, so `make check` runs anywhere.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

AUDIT_DIR = Path(__file__).resolve().parent
PROJECT_DIR = AUDIT_DIR.parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from tests.processes import run_cli, running_server  # noqa: E402

NPM_TIMEOUT_S = 300.0
AUDIT_TIMEOUT_S = 120.0


def main() -> int:
    node, npm = shutil.which("node"), shutil.which("npm")
    needs_install = not (AUDIT_DIR / "node_modules").is_dir()
    if node is None or (needs_install and npm is None):
        print("audit: skipped, node/npm not on PATH")
        return 0
    if needs_install:
        assert npm is not None
        subprocess.run(
            [npm, "ci", "--silent", "--no-audit", "--no-fund"],
            cwd=AUDIT_DIR,
            check=True,
            timeout=NPM_TIMEOUT_S,
        )
    with tempfile.TemporaryDirectory(prefix="csp-audit-") as tmp:
        database_url = f"sqlite+aiosqlite:///{Path(tmp) / 'audit.db'}"
        token = _admin_token(database_url)
        with running_server(database_url, Path(tmp)) as server:
            audit = subprocess.run(
                [node, "audit.mjs", server.graphql_url, token],
                cwd=AUDIT_DIR,
                timeout=AUDIT_TIMEOUT_S,
                check=False,
            )
            if audit.returncode != 0:
                print(f"server log:\n{server.log()[-4000:]}", file=sys.stderr)
        return audit.returncode


def _admin_token(database_url: str) -> str:
    """Migrate, seed, and take the first GLOBAL_ADMIN's fresh key from seed-demo's JSON."""
    for command in (("migrate",), ("seed-demo",)):
        done = run_cli(*command, database_url=database_url)
        if done.returncode != 0:
            raise SystemExit(f"audit: server.py {command[0]} failed:\n{done.stderr}")
    keys = json.loads(done.stdout)["keys"]
    token: str = next(key["token"] for key in keys if key["role"] == "GLOBAL_ADMIN")
    return token


if __name__ == "__main__":
    raise SystemExit(main())
