"""profiles/schema.py: the app profile's installer keys (source, version, requirements)."""

from __future__ import annotations

import pytest

from profiles.loader import load_catalog
from profiles.schema import ProfileError, app_profile

BASE = {"id": "x", "title": "X", "confidence": "official", "sources": ["s"], "entry": "script"}


def test_comfyui_names_its_pinned_release():
    app = load_catalog().app("comfyui")
    assert app.version == "v0.3.64"
    assert app.source == "https://github.com/comfyanonymous/ComfyUI/archive/refs/tags/v0.3.64.tar.gz"
    assert app.requirements == "requirements.txt"


@pytest.mark.parametrize(
    "extra, detail",
    [
        ({"source": "http://e/x.tar.gz", "version": "1"}, "https URL"),
        ({"source": "https://e/x.exe", "version": "1"}, "https URL"),
        ({"source": "https://e/x.tar.gz"}, "needs 'version'"),
        ({"version": "1"}, "needs 'source'"),
        ({"requirements": "../r.txt"}, "inside the app folder"),
    ],
)
def test_bad_installer_keys_are_errors(extra, detail):
    with pytest.raises(ProfileError) as exc:
        app_profile({**BASE, **extra}, "apps/x.toml", "")
    assert detail in exc.value.detail


def test_installer_keys_are_optional():
    app = app_profile(dict(BASE), "apps/x.toml", "")
    assert (app.source, app.version, app.requirements) == (None, None, None)
