#!/bin/sh
# jc315 offline install: a virtual environment "venv" beside this file, filled from the wheels
# folder only (no package index). JC315_PYTHON=/path/to/python picks the Python to use.
set -u
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/venv"
# Nothing of the user's pip configuration (an index, user = true, a target) applies here.
export PIP_CONFIG_FILE=/dev/null

fail() {
    printf '【失败】%s\n' "$1" >&2
    printf '安装没有完成。按上面的提示处理后，再运行 sh install.sh。\n' >&2
    exit 1
}

fits() {  # a 64-bit CPython of a version the wheels are for
    "$1" -c 'import struct, sys; sys.exit(not (sys.version_info[:2] in (@TUPLES@,) and struct.calcsize("P") == 8))' 2>/dev/null
}

echo "jc315 离线安装：只用本文件夹里的 wheels，不需要联网。"
ls "$here"/wheels/jc315-*.whl >/dev/null 2>&1 || fail "本文件夹里没有 wheels 文件夹或其中没有 jc315：请把压缩包整个解压后再运行。"

py=${JC315_PYTHON:-}
if [ -n "$py" ]; then
    fits "$py" || fail "JC315_PYTHON=$py 不是 64 位的 Python @PYTHONS@。"
else
    for candidate in @CANDIDATES@ python3; do
        if command -v "$candidate" >/dev/null 2>&1 && fits "$candidate"; then py=$candidate; break; fi
    done
    [ -n "$py" ] || fail "没有找到 64 位的 Python @PYTHONS@：请先用系统的软件包管理器安装（如 sudo apt install python3 python3-venv）。"
fi
echo "使用的 Python：$("$py" --version 2>&1)（$py）"

if [ -e "$venv/bin/python" ] && ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    echo "原有的 venv 文件夹已不能使用（建它的 Python 可能已卸载），删除后重建。"
    rm -rf "$venv"
fi
if [ ! -e "$venv/bin/python" ]; then
    echo "正在创建虚拟环境 venv ……"
    "$py" -m venv "$venv" || fail "创建虚拟环境没有成功，原因见上面的信息（Debian、Ubuntu 上先 sudo apt install python3-venv）。"
fi

echo "正在从 wheels 文件夹安装 jc315 及其依赖 ……"
"$venv/bin/python" -m pip install --isolated --disable-pip-version-check --no-index \
    --find-links "$here/wheels" --upgrade --force-reinstall --log "$here/安装日志.txt" jc315 \
    || fail "从 wheels 安装没有成功，原因见上面的信息和本文件夹的“安装日志.txt”。"
"$venv/bin/jc315" --version || fail "jc315 已安装，但运行“jc315 --version”没有成功，原因见上面的信息。"

echo
echo "【完成】jc315 已装好，装在本文件夹的 venv 文件夹里（不要删除它）。"
echo "以后运行本文件夹的 jc315，后面跟命令，例如："
echo "  \"$here/jc315\" --help"
echo "想在任何文件夹直接输入 jc315：ln -s \"$here/jc315\" ~/.local/bin/jc315"
