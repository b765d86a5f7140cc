"""The drift check: committed generated modules match what tools/async_to_sync.py writes, and a
hand edit of one is caught."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))

import async_to_sync as tool  # noqa: E402


def test_committed_generated_modules_are_current() -> None:
    done = subprocess.run(
        [sys.executable, str(TOOLS / "async_to_sync.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("package", sorted(tool.PACKAGES))
def test_check_fails_when_a_generated_module_is_edited_by_hand(
    package: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tool.PACKAGES[package]
    for source, target in spec.files.items():
        for name in (source, target):
            copy = tmp_path / spec.root / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(tool.REPO / spec.root / name, copy)
    assert tool.main(["--check", "--root", str(tmp_path), package]) == 0

    target = next(iter(spec.files.values()))
    edited = tmp_path / spec.root / target
    edited.write_text(edited.read_text().replace("\n\n", "\n\n# a hand edit\n", 1))
    capsys.readouterr()
    assert tool.main(["--check", "--root", str(tmp_path), package]) == 1
    out = capsys.readouterr().out
    assert f"stale: {spec.root}/{target}" in out

    # Without --check the tool writes it back, and the check passes again.
    assert tool.main(["--root", str(tmp_path), package]) == 0
    assert tool.main(["--check", "--root", str(tmp_path), package]) == 0
