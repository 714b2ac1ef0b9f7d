"""Build the offline install package: one zip holding wheels of jc315 and of everything it needs,
for one platform and several Python versions, and the scripts that install them into a virtual
environment beside themselves without a package index. Run from anywhere, with a Python that
has pip and `packaging` (the project's test environment has both):

    python packaging/make_offline.py --platform windows              # dist/jc315-离线安装-windows.zip
    python packaging/make_offline.py --platform linux --out 某文件夹
    python packaging/make_offline.py --platform linux --python-version current

The package index is needed here, once, by whoever makes the package; the clerk who installs it
needs none (see docs/install-offline.md).

`pip download --platform` resolves dependencies with the *running* interpreter's environment
markers: on Linux it leaves out `colorama; platform_system == "Windows"` (which Typer needs on
Windows), and on Python 3.11 it leaves out `tomli; python_version < "3.11"`. So each download is
followed by a resolution of our own (`unmet`), with the target's markers and wheel tags, and
whatever it finds missing is downloaded too, until nothing is.

Same wheels in, same zip out: members sorted, one fixed timestamp, stored (wheels are zips
already), and jc315's own wheel is built reproducibly by hatchling.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.tags import Tag, compatible_tags, cpython_tags
    from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # pragma: no cover - a bare Python without the test environment
    sys.exit("需要 Python 包 packaging：先运行 python -m pip install packaging，再运行本脚本。")

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
# The zip format's earliest date: any fixed one gives the same bytes; this one says "no date".
STAMP = (1980, 1, 1, 0, 0, 0)
EXECUTABLE, PLAIN = 0o100755, 0o100644


@dataclass(frozen=True)
class Platform:
    """What differs between the Windows and the Linux package."""

    name: str
    pip_platforms: tuple[str, ...]  # --platform values, best first
    markers: dict[str, str]  # environment markers that do not depend on the Python version
    scripts: dict[str, str]  # file in packaging/<name>/ -> how to write it (see `encoded`)


# glibc 2.28 (Debian 10, Ubuntu 20.04, RHEL 8) and older: every maintained distribution runs them.
MANYLINUX = tuple(f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)) + (
    "manylinux2014_x86_64",
    "manylinux_2_12_x86_64",
    "manylinux2010_x86_64",
    "manylinux_2_5_x86_64",
    "manylinux1_x86_64",
)

PLATFORMS = {
    "windows": Platform(
        "windows",
        ("win_amd64",),
        {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
         "platform_machine": "AMD64"},
        # cmd reads a batch file in the console's code page, 936 (GBK) on a Chinese Windows;
        # see `encoded` for why not UTF-8 with chcp 65001.
        {"安装.bat": "gbk-crlf", "jc315.bat": "gbk-crlf", "使用说明.txt": "utf8-bom-crlf"},
    ),
    "linux": Platform(
        "linux",
        MANYLINUX,
        {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
         "platform_machine": "x86_64"},
        {"install.sh": "utf8-lf-exec", "jc315": "utf8-lf-exec", "使用说明.txt": "utf8-lf"},
    ),
}  # fmt: skip


def zip_name(platform: Platform) -> str:
    return f"jc315-离线安装-{platform.name}.zip"


# --- resolving with the target's markers and tags ------------------------------------------------


def environment(platform: Platform, python: str) -> dict[str, str]:
    """The marker environment of CPython `python` (e.g. "3.10") on the target platform."""
    return {
        **platform.markers,
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_version": "",
    }


def supported_tags(platform: Platform, python: str) -> set[Tag]:
    version = tuple(int(part) for part in python.split("."))
    abi = f"cp{version[0]}{version[1]}"
    return set(cpython_tags(version, [abi], platform.pip_platforms)) | set(
        compatible_tags(version, abi, platform.pip_platforms)
    )


def metadata(wheel: Path) -> tuple[SpecifierSet, list[Requirement]]:
    """A wheel's Requires-Python and Requires-Dist."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(name).decode("utf-8")
    fields = HeaderParser().parsestr(text, headersonly=True)
    requires = [Requirement(value) for value in fields.get_all("Requires-Dist") or []]
    return SpecifierSet(fields.get("Requires-Python") or ""), requires


def _wheels_for(
    folder: Path, tags: set[Tag], python: str
) -> dict[NormalizedName, list[tuple[Version, Path]]]:
    """The wheels in `folder` that pip would consider on this Python: tags and Requires-Python."""
    found: dict[NormalizedName, list[tuple[Version, Path]]] = {}
    for path in sorted(folder.glob("*.whl")):
        name, version, _, wheel_tags = parse_wheel_filename(path.name)
        if wheel_tags & tags and metadata(path)[0].contains(f"{python}.0", prereleases=True):
            found.setdefault(name, []).append((version, path))
    return found


def unmet(folder: Path, platform: Platform, python: str, root: str = "jc315") -> list[str]:
    """The requirements, from `root` down, that no wheel in `folder` meets on `python` and
    `platform`, each as a requirement string without its marker. Picks the newest wheel that
    fits each requirement, as pip does; no backtracking, so it can only be trusted on a folder
    pip itself resolved, and is meant to find what pip's markers left out."""
    env, available = (
        environment(platform, python),
        _wheels_for(folder, supported_tags(platform, python), python),
    )
    todo, seen, missing = [Requirement(root)], set(), []
    while todo:
        want = todo.pop()
        key = (canonicalize_name(want.name), tuple(sorted(want.extras)), str(want.specifier))
        if key in seen:
            continue
        seen.add(key)
        fits = [(v, p) for v, p in available.get(key[0], []) if want.specifier.contains(v, True)]
        if not fits:
            extras = f"[{','.join(key[1])}]" if key[1] else ""
            missing.append(f"{want.name}{extras}{want.specifier}")
            continue
        for need in metadata(max(fits)[1])[1]:
            if need.marker is None or _applies(need.marker, env, want.extras):
                todo.append(need)
    return sorted(missing)


def _applies(marker: Marker, env: dict[str, str], extras: set[str]) -> bool:
    return any(marker.evaluate({**env, "extra": extra}) for extra in ("", *sorted(extras)))


# --- fetching --------------------------------------------------------------------------------------


def pip(*args: str | Path) -> None:
    """Run pip of this Python; its own messages go straight to the terminal."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)]
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        raise SystemExit(f"【失败】pip 没有完成：{' '.join(command[3:])}\n原因见上面 pip 的信息。")


def build_jc315(into: Path) -> Path:
    """jc315's own wheel, built from this checkout (hatchling builds it reproducibly)."""
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", into, ROOT)
    (wheel,) = into.glob("jc315-*.whl")
    return wheel


def download(jc315: Path, platform: Platform, python: str, wheels: Path) -> None:
    """Every wheel jc315 needs on `python` and `platform`, into `wheels`."""
    extra: list[str] = []
    for _ in range(5):
        pip(
            "download", "--quiet", "--only-binary=:all:", "--implementation", "cp",
            "--python-version", python,
            *(f"--platform={tag}" for tag in platform.pip_platforms),
            "--dest", wheels, jc315, *extra,
        )  # fmt: skip
        gaps = unmet(wheels, platform, python)
        if not gaps:
            return
        print(f"    pip 按本机条件漏下的依赖，补下：{'、'.join(gaps)}")
        extra = sorted({*extra, *gaps})
    raise SystemExit(f"【失败】Python {python} 的依赖补不齐：{'、'.join(gaps)}")


# --- the scripts and the zip -----------------------------------------------------------------------


def python_words(pythons: Sequence[str]) -> str:
    """How the scripts name the Python versions to a person: 3.10～3.13, or 3.11."""
    minors = [int(p.split(".")[1]) for p in pythons]
    if len(pythons) > 1 and minors == list(range(minors[0], minors[-1] + 1)):
        return f"{pythons[0]}～{pythons[-1]}"
    return "、".join(pythons)


def filled(text: str, platform: Platform, pythons: Sequence[str], version: str) -> str:
    newest_first = sorted(pythons, key=lambda p: int(p.split(".")[1]), reverse=True)
    fills = {
        "@VERSION@": version,
        "@PYTHONS@": python_words(pythons),
        "@TUPLES@": ", ".join(f"({p.replace('.', ', ')})" for p in pythons),
        "@TRY_PY@": "\n".join(f"if not defined PY call :try py -{p}" for p in newest_first),
        "@CANDIDATES@": " ".join(f"python{p}" for p in newest_first),
    }
    for mark, value in fills.items():
        text = text.replace(mark, value)
    return text


def encoded(text: str, how: str) -> bytes:
    """The bytes of a script or text as its reader needs them.

    Windows batch files are GBK (code page 936) with CRLF and no BOM: cmd on a Chinese Windows
    reads them, and shows their messages, in that code page as they are. UTF-8 would need
    `chcp 65001` first, which changes the code page of the window a user ran it from, and a BOM
    would make cmd read the first line as an unknown command. Their text keeps to GB2312 (a test
    checks), whose two bytes are both 0xA1 or above, so no byte of a Chinese character can be
    read as one of cmd's characters (\\ | & < > ^ %). The .txt is UTF-8 with a BOM and CRLF,
    which Notepad and WPS open right on any Windows.
    """
    lines = text.splitlines()
    if how == "gbk-crlf":
        return "".join(f"{line}\r\n" for line in lines).encode("gbk")
    if how == "utf8-bom-crlf":
        return "".join(f"{line}\r\n" for line in lines).encode("utf-8-sig")
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def scripts(platform: Platform, pythons: Sequence[str], version: str) -> dict[str, bytes]:
    """The package's files besides the wheels, by name, as bytes."""
    return {
        name: encoded(
            filled((HERE / platform.name / name).read_text("utf-8"), platform, pythons, version),
            how,
        )
        for name, how in platform.scripts.items()
    }


def members(
    platform: Platform, pythons: Sequence[str], wheels: Path
) -> Iterator[tuple[str, bytes, int]]:
    """Every file of the package: name inside the top folder, bytes, Unix mode."""
    (jc315,) = wheels.glob("jc315-*.whl")
    version = str(parse_wheel_filename(jc315.name)[1])
    for name, data in scripts(platform, pythons, version).items():
        executable = platform.scripts[name].endswith("-exec")
        yield name, data, EXECUTABLE if executable else PLAIN
    for wheel in wheels.glob("*.whl"):
        yield f"wheels/{wheel.name}", wheel.read_bytes(), PLAIN


def write_zip(path: Path, top: str, files: Iterator[tuple[str, bytes, int]]) -> None:
    """Sorted members, one timestamp, Unix modes (so unzip keeps install.sh executable), stored:
    the same files give the same bytes. Written beside `path` and moved over it whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".jc315-", suffix=".zip", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as archive:
            for name, data, mode in sorted(files):
                info = zipfile.ZipInfo(f"{top}/{name}", date_time=STAMP)
                info.create_system, info.external_attr = 3, mode << 16
                archive.writestr(info, data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def build(platform: Platform, pythons: Sequence[str], out: Path) -> Path:
    target = out / zip_name(platform)
    with tempfile.TemporaryDirectory(prefix="jc315-offline-") as work:
        wheels = Path(work) / "wheels"
        print("构建 jc315 的 wheel ……")
        jc315 = build_jc315(Path(work) / "own")
        for python in pythons:
            print(f"下载 Python {python}（{platform.name}）所需的 wheel ……")
            download(jc315, platform, python, wheels)
        print(f"写出 {target} ……")
        write_zip(target, target.stem, members(platform, pythons, wheels))
    return target


def pythons_of(value: str) -> list[str]:
    """--python-version: "current", or versions such as "3.10,3.11", oldest first."""
    if value == "current":
        return [f"{sys.version_info[0]}.{sys.version_info[1]}"]
    pythons = {p.strip() for p in value.split(",") if p.strip()}
    if not pythons or not all(re.fullmatch(r"3\.\d{1,2}", p) for p in pythons):
        raise argparse.ArgumentTypeError(f"应为 current 或 3.10,3.11 这样的版本：{value}")
    return sorted(pythons, key=lambda p: int(p.split(".")[1]))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="制作 jc315 的离线安装包（需要能访问软件包索引）。"
    )
    parser.add_argument(
        "--platform", choices=sorted(PLATFORMS), required=True, help="安装包给哪种系统用"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "dist", help="写到哪个文件夹（默认 dist）"
    )
    parser.add_argument(
        "--python-version",
        type=pythons_of,
        default=list(PYTHONS),
        help=f"装到哪些 Python 版本，逗号分隔（默认 {','.join(PYTHONS)}）；current 为运行本脚本的版本",
    )
    options = parser.parse_args(argv)
    built = build(PLATFORMS[options.platform], options.python_version, options.out)
    print(f"【完成】{built}（{built.stat().st_size / 1e6:.1f} MB）")


if __name__ == "__main__":
    main()
