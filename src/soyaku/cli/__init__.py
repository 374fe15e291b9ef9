"""The `soyaku` command line (click): `main.py` holds the group and the question commands; the other modules
hold command groups registered with it. Commands parse, call the app layer (`soyaku.app`), and format."""
