"""What the distributables are built from, checked without building: one version, the lock against
pyproject, the mirrors read from mirrors.toml, the translated texts, the icon files, the NSIS
language strings, install.sh's syntax, and the build command's errors."""

from __future__ import annotations

import ast
import re
import struct
import subprocess
import sys

import pytest

from app.version import VERSION, read_version
from probes.core import i18n
from tools import build_dist, dist_linux, dist_text

ROOT = build_dist.ROOT


def test_one_version_from_pyproject():
    assert (
        read_version((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        == VERSION
        == build_dist.project_version()
    )
    assert read_version('[tool.x]\nversion = "9"\n[project]\nname = "a"\nversion = "1.2.3"  # c\n') == "1.2.3"
    assert read_version("[project]\nname = 'a'\n") is None
    assert build_dist.version_quad("0.1.0") == "0.1.0.0" and build_dist.version_quad("2.10.3.4") == "2.10.3.4"


def test_the_lock_matches_pyproject_and_has_no_torch():
    _text, lock = build_dist.read_checked_lock()
    assert [e["version"] for e in lock["uv"]] == [build_dist.uv_pin()]
    assert not any(name.startswith("torch") for name in lock)
    assert all(e["hashes"] for entries in lock.values() for e in entries)
    # and the check sees what is wrong
    bad = {
        "uv": [{"version": "0.0.1", "marker": "", "hashes": set()}],
        "torch": [{"version": "2", "hashes": {"a"}}],
    }
    problems = build_dist.check_lock(bad, ["psutil>=5.9", "uv==0.13.9"], "0.13.9")
    assert any("psutil" in p for p in problems) and any("uv is not" in p for p in problems)
    assert any("no hash" in p for p in problems) and any("torch" in p for p in problems)


def test_mirrors_come_from_the_table_china_first_for_zh_cn():
    rows = build_dist.mirror_rows()
    for kind in ("pypi", "python"):
        table = [r["url"] for r in rows if r["kind"] == kind]
        zh = build_dist.ordered_mirrors(rows, kind, "zh_CN")
        en = build_dist.ordered_mirrors(rows, kind, "en")
        assert sorted(r["url"] for r in zh) == sorted(table) == sorted(r["url"] for r in en)
        assert zh[0]["region"] == "cn" and en[0]["region"] == "global"
    text = build_dist.render_mirrors_cmd(rows, "zh_CN").decode("utf-8")
    assert "\r\n" in text and 'set "RP_PYPI_1_URL=https://pypi.tuna.tsinghua.edu.cn/simple"' in text


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_bootstrap_messages_render_safely_for_cmd(lang):
    data = build_dist.render_messages_cmd(lang, VERSION, build_dist.WINDOWS_PYTHON)
    assert not data.startswith(b"\xef\xbb\xbf")  # a BOM would break cmd's first line
    lines = data.decode("utf-8").split("\r\n")
    assert {ln.split("=", 1)[0] for ln in lines if ln.startswith("set")} == {
        f'set "M_{k}' for k in dist_text.BOOTSTRAP
    }


def test_unsafe_values_are_refused_with_a_code():
    with pytest.raises(build_dist.BuildError) as info:
        build_dist.cmd_value("50% off & more", "a title")
    assert info.value.code == "dist-unsafe-value"


def test_every_dist_text_has_a_chinese_translation_with_the_same_placeholders():
    tree = ast.parse((ROOT / "tools" / "dist_text.py").read_text(encoding="utf-8"))
    found = [
        (n.args[1].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and getattr(n.func, "id", "") == "Text"
        and isinstance(n.args[1], ast.Constant)
    ]
    assert len(found) >= len(dist_text.BOOTSTRAP) + 6
    cat = i18n.parse_ts(ROOT / "assets" / "i18n" / "dist_zh_CN.ts")
    for src in found:
        assert ("dist", src) in cat, src
        assert set(re.findall(r"{(\w+)}", src)) == set(re.findall(r"{(\w+)}", cat[("dist", src)])), src


def test_nsis_scripts_have_every_langstring_in_both_languages():
    text = (ROOT / "release" / "windows" / "RigPilot.nsi").read_text(encoding="utf-8")
    names = re.findall(r"^LangString (\w+) \$\{LANG_(\w+)\}", text, re.M)
    by_lang = {lang: {n for n, lang2 in names if lang2 == lang} for lang in ("ENGLISH", "SIMPCHINESE")}
    assert by_lang["ENGLISH"] == by_lang["SIMPCHINESE"] and len(by_lang["ENGLISH"]) >= 6
    used = set(re.findall(r"\$\((\w+)\)", text))
    assert used <= by_lang["ENGLISH"]
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\RigPilot"' in text and "RequestExecutionLevel user" in text


def test_icon_files_agree():
    ico = (ROOT / "assets" / "icons" / "rigpilot.ico").read_bytes()
    _zero, kind, count = struct.unpack("<HHH", ico[:6])
    sizes = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert kind == 1 and 256 in sizes and 16 in sizes and 32 in sizes
    png = (ROOT / "assets" / "icons" / "rigpilot-256.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)


def test_install_sh_and_desktop_entry_render(tmp_path):
    script = tmp_path / "install.sh"
    script.write_text(dist_linux.render_install_sh(VERSION), encoding="utf-8")
    assert "@" not in re.sub(r"\S+@\S+", "", script.read_text(encoding="utf-8").replace("@EXEC@", ""))
    assert subprocess.run(["sh", "-n", str(script)], timeout=30).returncode == 0
    desktop = dist_linux.render_desktop()
    assert "GenericName[zh_CN]=显卡配置助手" in desktop and "Exec=@EXEC@" in desktop
    assert (
        dist_linux.sh_double_quoted('a "$b" `c` {path}', {"path": "${dest}"})
        == '"a \\"\\$b\\" \\`c\\` ${dest}"'
    )


def test_build_errors_are_a_code_and_a_hint_never_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build_dist, "LOCK", tmp_path / "missing.lock")
    assert build_dist.main(["windows", "--out", str(tmp_path), "--cache", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error [dist-lock-missing]") and "hint:" in err
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_dist.py"), "macos"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "invalid choice" in proc.stderr and "Traceback" not in proc.stderr


def test_frozen_bundle_children_get_the_users_library_path():
    sys.path.insert(0, str(ROOT))
    import main as entry

    assert entry.frozen_environment({"LD_LIBRARY_PATH": "/b", "LD_LIBRARY_PATH_ORIG": "/u"}, "/b") == {
        "LD_LIBRARY_PATH": "/u"
    }
    assert entry.frozen_environment({"LD_LIBRARY_PATH": "/b"}, "/b") == {}
    assert entry.frozen_environment({"LD_LIBRARY_PATH": "/b:/x"}, "/b") == {"LD_LIBRARY_PATH": "/x"}
