#!/usr/bin/env python3
"""Copy the front-end files Yuntu serves from node_modules/ into var/vendor/.

The npm packages are pinned by package.json and package-lock.json and installed with `npm ci`;
only the few built files the templates load are copied, under stable names that do not carry
version numbers, so templates say `{% static 'htmx/htmx.min.js' %}` and upgrades touch only
the lock file. Nothing here is committed: var/ and node_modules/ are ignored by git.

Standard library only, so it runs before the virtualenv exists: `python3 scripts/build_static.py`.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "var" / "vendor"

# package → (files or folders inside the package, copied to var/vendor/<target>/<name>)
BUNDLES: dict[str, tuple[str, list[str]]] = {
    "htmx.org": ("htmx", ["dist/htmx.min.js", "LICENSE"]),
    # axe-core: for the browser tests' accessibility check only; no page loads it.
    "axe-core": ("axe-core", ["axe.min.js", "LICENSE"]),
    "echarts": ("echarts", ["dist/echarts.min.js", "LICENSE"]),
    "leaflet": ("leaflet", ["dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"]),
    "swagger-ui-dist": (
        "swagger-ui",
        [
            "swagger-ui.css",
            "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js",
            "favicon-32x32.png",
            "oauth2-redirect.html",
            "LICENSE",
        ],
    ),
}


SOURCE_MAP = re.compile(rb"sourceMappingURL=([\w.-]+\.map)")


def copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    # A file that names its source map needs the map beside it: hashing storages
    # (ManifestStaticFilesStorage, WhiteNoise's) follow the reference and fail when it is missing.
    if source.suffix in {".js", ".css"}:
        with source.open("rb") as handle:
            handle.seek(max(0, source.stat().st_size - 512))
            found = SOURCE_MAP.search(handle.read())
        if found and (source.parent / found.group(1).decode()).is_file():
            shutil.copy2(source.parent / found.group(1).decode(), target.parent / found.group(1).decode())


def main() -> int:
    if not NODE_MODULES.is_dir():
        print("node_modules/ is missing: run `npm ci` (or `make install`) first.", file=sys.stderr)
        return 1
    versions = {}
    missing = []
    for package, (target_name, files) in BUNDLES.items():
        package_dir = NODE_MODULES / package
        manifest = package_dir / "package.json"
        if not manifest.is_file():
            missing.append(package)
            continue
        versions[package] = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        target_dir = VENDOR / target_name
        if target_dir.exists():
            shutil.rmtree(target_dir)
        for relative in files:
            source = package_dir / relative
            if not source.exists():
                missing.append(f"{package}/{relative}")
                continue
            copy(source, target_dir / Path(relative).name)
    if missing:
        print("missing from node_modules/: " + ", ".join(missing) + " (run `npm ci`)", file=sys.stderr)
        return 1
    (VENDOR / "versions.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print("var/vendor/: " + ", ".join(f"{name} {version}" for name, version in sorted(versions.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
