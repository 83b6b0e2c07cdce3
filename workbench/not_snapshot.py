"""The CRM snapshot is only ever read: refuse it wherever a file is given to be written."""
from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.snapshot import file_sha256


def is_snapshot(path: str | Path, crm_path: str | Path) -> str | None:
    """How ``path`` is the snapshot (its path, a hard link, the same bytes), or None when it is not."""
    path, crm_path = Path(path), Path(crm_path)
    if path.resolve() == crm_path.resolve():
        return "the same path"
    if not (path.is_file() and crm_path.is_file()):
        return None
    if os.path.samefile(path, crm_path):
        return "a hard link to the snapshot"
    if path.stat().st_size == crm_path.stat().st_size and \
            file_sha256(path) == file_sha256(crm_path):
        return "the same content, byte for byte"
    return None


def refuse_snapshot(path: str | Path, crm_path: str | Path, option: str, advice: str = "") -> None:
    """Raise when ``path``, given as ``option`` to be written, is the CRM snapshot."""
    how = is_snapshot(path, crm_path)
    if how:
        raise WorkbenchError(f"{option} must not be the CRM snapshot ({how}): the snapshot is "
                             f"only ever read{advice}", file=str(path))
