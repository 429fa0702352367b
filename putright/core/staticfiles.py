"""Static files taken from npm packages, only those Putright's pages use (settings.STATIC_PACKAGE_FILES).

An npm package ships far more than a page asks for: GOV.UK Frontend 8.7 MB (every component's Sass
and JavaScript modules) for a stylesheet, a script and their fonts and images; swagger-ui-dist 13 MB
(source maps, ES module builds, a demonstration page) for a script and a stylesheet. Whole folders in
STATICFILES_DIRS would all be collected and compressed by `collectstatic`, which `putright serve`
runs at every start without DEBUG: about 70 seconds on two cores rather than a few. This finder
offers only the files and folders named.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class PackageFilesFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (URL prefix, the package's folder, names of files or folders within it) -> a storage each.
        self.packages: list[tuple[str, FileSystemStorage, tuple[str, ...]]] = []
        for prefix, folder, names in settings.STATIC_PACKAGE_FILES:
            storage = FileSystemStorage(location=folder)
            storage.prefix = prefix  # type: ignore[attr-defined]  # collectstatic reads it, as for STATICFILES_DIRS
            self.packages.append((prefix, storage, tuple(names)))

    # Any: Django's own finders answer [] for a file they do not have, find_all or not (its stubs say None).
    def find(self, path: str, find_all: bool = False) -> Any:
        found = []
        for prefix, storage, names in self.packages:
            if not path.startswith(prefix + "/"):
                continue
            name = path.removeprefix(prefix + "/")
            if ".." in name.split("/") or not any(name == n or name.startswith(n + "/") for n in names):
                continue
            if Path(storage.path(name)).is_file():
                if not find_all:
                    return storage.path(name)
                found.append(storage.path(name))
        return found

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for _prefix, storage, names in self.packages:
            for name in names:
                path = Path(storage.path(name))
                if path.is_file():
                    yield name, storage
                for folder, _, files in os.walk(path):
                    for file in sorted(files):
                        yield (Path(folder) / file).relative_to(storage.location).as_posix(), storage
