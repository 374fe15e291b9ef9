"""`python -m soyaku.mcp [--home DIR] [--timeout SECONDS]`: the MCP server over stdio (what `soyaku mcp` runs)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from soyaku.core.errors import SoyakuError
from soyaku.core.home import default_home
from soyaku.graph.databases import require_graph
from soyaku.mcp.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="soyaku mcp", description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(os.environ["SOYAKU_HOME"]) if os.environ.get("SOYAKU_HOME")
                        else None, help="the graph home (default: SOYAKU_HOME or the per-user data directory)")
    parser.add_argument("--timeout", type=float, default=30.0, help="time limit of each question in seconds [30]")
    args = parser.parse_args()
    home = (args.home or default_home()).expanduser()
    try:
        require_graph(home)
    except SoyakuError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
    serve(home, args.timeout)


if __name__ == "__main__":
    main()
