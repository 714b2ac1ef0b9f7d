@echo off
rem jc315 offline install: a virtual environment "venv" beside this file, filled from the
rem wheels folder only (no package index). packaging/make_offline.py writes this file in GBK
rem with CRLF, as cmd on a Chinese Windows reads it. No parenthesised blocks below: a folder
rem name such as "jc315 (1)" in an expanded path would close one.
setlocal EnableExtensions DisableDelayedExpansion
set "HERE=%~dp0"
set "VENV=%~dp0venv"
set "LOG=%~dp0安装日志.txt"
rem Nothing of the user's pip configuration (an index, user = true, a target) applies here.
set "PIP_CONFIG_FILE=nul"
title jc315 离线安装
echo jc315 离线安装：只用本文件夹里的 wheels，不需要联网。
echo.
if not exist "%HERE%wheels\jc315-*.whl" goto no_wheels

set "PY="
@TRY_PY@
if not defined PY call :try python
if not defined PY goto no_python
echo 使用的 Python：
%PY% --version

if not exist "%VENV%\Scripts\python.exe" goto make_venv
"%VENV%\Scripts\python.exe" -c "import sys" >nul 2>nul
if not errorlevel 1 goto install
echo 原有的 venv 文件夹已不能使用（建它的 Python 可能已卸载），删除后重建。
rmdir /s /q "%VENV%"
:make_venv
echo 正在创建虚拟环境 venv ……
%PY% -m venv "%VENV%"
if errorlevel 1 goto no_venv

:install
echo 正在从 wheels 文件夹安装 jc315 及其依赖 ……
"%VENV%\Scripts\python.exe" -m pip install --isolated --disable-pip-version-check --no-index --find-links "%HERE%wheels" --upgrade --force-reinstall --log "%LOG%" jc315
if errorlevel 1 goto no_install
"%VENV%\Scripts\jc315.exe" --version
if errorlevel 1 goto no_run

echo.
echo 【完成】jc315 已装好，装在本文件夹的 venv 文件夹里（不要删除它）。
echo 以后在命令行窗口里运行本文件夹的 jc315.bat，后面跟命令，例如：
echo   "%HERE%jc315.bat" --help
echo 想在任何文件夹直接输入 jc315：把本文件夹加入“Path”环境变量，做法见“使用说明.txt”。
echo.
pause
exit /b 0

:try
rem A 64-bit CPython of a version the wheels are for; anything else (a 32-bit Python, the
rem Microsoft Store stand-in for python.exe, no py launcher) fails quietly.
%* -c "import struct, sys; sys.exit(not (sys.version_info[:2] in (@TUPLES@,) and struct.calcsize('P') == 8))" >nul 2>nul
if not errorlevel 1 set "PY=%*"
exit /b 0

:no_wheels
echo 【失败】本文件夹里没有 wheels 文件夹或其中没有 jc315。
echo 请先把压缩包整个解压（右键压缩包，选“全部解压缩”），再双击解压出来的“安装.bat”；
echo 不要在压缩包里直接双击它。
goto failed

:no_python
echo 【失败】没有找到 64 位的 Python @PYTHONS@。
echo 请先安装 Python：在 python.org 下载 Python @PYTHONS@ 的“Windows installer (64-bit)”，
echo 安装时勾选“Add python.exe to PATH”，装好后再双击“安装.bat”。
goto failed

:no_venv
echo 【失败】创建虚拟环境 venv 没有成功，原因见上面的信息。
echo 常见原因：本文件夹不可写（如放在了 C:\Program Files 里），或杀毒软件拦截。
echo 可以把整个文件夹移到 D:\ 等可写的位置后再试。
goto failed

:no_install
echo 【失败】从 wheels 安装没有成功，原因见上面的信息和本文件夹的“安装日志.txt”。
echo 如果提到“No matching distribution”，说明这个安装包里没有适合本机 Python 的文件，
echo 请向制作安装包的人要一份包含本机 Python 版本的安装包。
goto failed

:no_run
echo 【失败】jc315 已安装，但运行“jc315 --version”没有成功，原因见上面的信息。
goto failed

:failed
echo.
echo 安装没有完成。按上面的提示处理后，再双击“安装.bat”。
echo 需要求助时，把本窗口的内容和“安装日志.txt”（如有）发给帮你安装的人。
echo.
pause
exit /b 1
