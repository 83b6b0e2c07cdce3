"""Output folders that belong to the workbench: claim one for a run, publish its staged files, release it."""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from workbench.errors import WorkbenchError

LOCK_NAME = ".workbench.lock"
RUN_ID = re.compile(r"\d{8}T\d{6}-[0-9a-f]{6}")
STAGING = re.compile(r"\.staging-" + RUN_ID.pattern)
STALE_SECONDS = 86400  # a staging folder this old is a killed run's, not a running one's


def is_run_manifest(path: Path) -> bool:
    """True when ``path`` is the manifest.json a workbench run wrote."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(manifest, dict) and isinstance(manifest.get("files"), dict)
            and RUN_ID.fullmatch(str(manifest.get("run_id", ""))) is not None)


def _is_batch_notebook(path: Path) -> bool:
    """The executed notebook `workbench batch` writes (papermill marks it in its metadata)."""
    try:
        return "papermill" in json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return False


def _own_mark(entry: Path) -> bool:
    """A lock, a staging folder or a batch notebook: what the workbench itself leaves in a folder."""
    if entry.name == LOCK_NAME:
        return entry.is_file()
    if STAGING.fullmatch(entry.name):
        return entry.is_dir()
    return entry.name == "pipeline.ipynb" and _is_batch_notebook(entry)


def refuse_file(out_dir: str | Path) -> None:
    """Refuse an output folder that is in fact a file (or a dangling link)."""
    out_dir = Path(out_dir)
    if (out_dir.exists() or out_dir.is_symlink()) and not out_dir.is_dir():
        raise WorkbenchError("the output folder is a file, not a folder", file=str(out_dir))


def check_folder(out_dir: str | Path) -> None:
    """Refuse an output folder that is a file, or that holds files but no earlier run's manifest."""
    out_dir = Path(out_dir)
    refuse_file(out_dir)
    if not out_dir.exists():
        return
    if is_run_manifest(out_dir / "manifest.json"):
        return
    foreign = sorted(p.name for p in out_dir.iterdir() if not _own_mark(p))
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise WorkbenchError(f"the output folder holds files that are not a workbench run's "
                             f"({shown}); give an empty or new folder, or an earlier run's",
                             file=str(out_dir))


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _lock(out_dir: Path, run_id: str) -> int:
    """Hold ``OUT/.workbench.lock`` (an flock, freed by the system if the run is killed)."""
    path = out_dir / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another run"
            os.close(fd)
            raise WorkbenchError(f"the output folder is in use by another run ({holder}); wait "
                                 "for it to finish or give another --out", file=str(out_dir)) from None
        # the last holder removes the file on release: a lock on a removed file guards nothing
        if os.fstat(fd).st_ino == _inode(path):
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}, run {run_id}".encode())
    return fd


def _unlock(out_dir: Path, fd: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        (out_dir / LOCK_NAME).unlink()  # before close: nobody locks the file we are removing
    os.close(fd)


@contextlib.contextmanager
def claim_folder(out_dir: str | Path, run_id: str) -> Iterator[Path]:
    """Check and lock the output folder for one run; yield its staging folder, removed at the end."""
    out_dir = Path(out_dir)
    check_folder(out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"cannot make the output folder ({exc.strerror})",
                             file=str(out_dir)) from None
    fd = _lock(out_dir, run_id)
    stage = out_dir / f".staging-{run_id}"
    try:
        stage.mkdir()
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)  # gone after publish; a failed run's is removed
        _unlock(out_dir, fd)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()  # a failed run leaves no empty folder it made


def publish(stage: Path, out_dir: Path, files: dict[str, Path]) -> dict[str, Path]:
    """Move the staged outputs into ``out_dir`` (manifest last) and remove the staging folder."""
    published = {}
    for sub in [p for p in stage.iterdir() if p.is_dir()]:
        # a CRM's folder is replaced whole: no part file of an earlier run stays behind
        shutil.rmtree(out_dir / sub.name, ignore_errors=True)
        os.replace(sub, out_dir / sub.name)
    for name in sorted(files, key=lambda n: n == "manifest.json"):
        target = out_dir / files[name].relative_to(stage)
        if files[name].parent == stage:
            os.replace(files[name], target)
        published[name] = target
    for leftover in stage.iterdir():  # anything not listed (none expected) still lands
        os.replace(leftover, out_dir / leftover.name)
    stage.rmdir()
    remove_stale_staging(out_dir)
    return published


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove the workbench's own staging folders of runs killed more than a day ago."""
    removed = []
    for old in out_dir.glob(".staging-*"):
        if not (STAGING.fullmatch(old.name) and old.is_dir() and not old.is_symlink()):
            continue  # not a name the workbench gives: someone else's folder
        if time.time() - old.stat().st_mtime > STALE_SECONDS and \
                all(p.is_file() and not p.is_symlink() for p in old.iterdir()):
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed
