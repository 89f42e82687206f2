"""The app installed the way the Dockerfile installs it (``pip install .``
from a clone: no compiled catalogs, those are not in git) serves every
language, not French everywhere.

Without Docker: a wheel built from the files git tracks, unpacked as pip
would, and the app imported from there in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# Runs in the interpreter that has only the unpacked wheel (and the venv's
# dependencies): it must import the app from there, not from the checkout.
PROBE = """
import json, sys
site, database = sys.argv[1], sys.argv[2]
sys.path.insert(0, site)
import os
os.environ["REPERES_DATABASE_URL"] = database
import api
assert api.__file__.startswith(site), api.__file__
from api import db
db.upgrade(db.get_engine())
from fastapi.testclient import TestClient
from api.main import app
client = TestClient(app)
pages = {lang: client.get(f"/{lang}/") for lang in ("fr", "en", "ar", "falc")}
print(json.dumps({lang: [r.status_code, r.text] for lang, r in pages.items()}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("docker_build")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    clone = work / "clone"
    for name in filter(None, tracked):
        source = ROOT / name.decode()
        if source.is_file():
            target = clone / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work, clone],
        check=True,
        capture_output=True,
    )
    [wheel] = work.glob("reperes-*.whl")
    site = work / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def expected(catalog: str, msgid: str) -> str:
    path = ROOT / "locales" / catalog / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        message = read_po(file).get(msgid)
    assert message is not None and message.string, (catalog, msgid)
    return message.string


def test_the_dockerfile_installs_the_package() -> None:
    # What the wheel below stands for; if the image stops doing this, this
    # test no longer says anything about it.
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install ." in dockerfile
    assert "rm -rf api web data locales" in dockerfile


def test_the_installed_app_serves_every_language(
    installed: Path, tmp_path: Path
) -> None:
    # What git gives: catalogs to compile, none compiled.
    assert list(installed.glob("locales/*/LC_MESSAGES/messages.po"))
    assert not list(installed.glob("locales/*/LC_MESSAGES/messages.mo"))
    assert (installed / "web" / "templates" / "mail" / "reset.txt").is_file()
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            PROBE,
            str(installed),
            f"sqlite:///{tmp_path}/x.db",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = json.loads(result.stdout.splitlines()[-1])
    for lang in pages:
        assert pages[lang][0] == 200, lang
    assert 'lang="ar" dir="rtl"' in pages["ar"][1]
    assert expected("ar", "Aller au contenu") in pages["ar"][1]
    assert "Aller au contenu" not in pages["ar"][1]
    assert expected("en", "Aller au contenu") in pages["en"][1]
    assert expected("fr@falc", "Vie privée") in pages["falc"][1]
    assert "Aller au contenu" in pages["fr"][1]
