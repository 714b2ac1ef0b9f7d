@echo off
rem Runs jc315 from the venv that 安装.bat made beside this file, whatever folder the command
rem window is in; jc315's exit code is this file's exit code.
rem With nothing after it, run in a collection folder, it opens the collection's page (jc315 web).
if not exist "%~dp0venv\Scripts\jc315.exe" goto missing
if "%~1"=="" goto page
"%~dp0venv\Scripts\jc315.exe" %*
exit /b

:page
"%~dp0venv\Scripts\jc315.exe" web
exit /b

:missing
>&2 echo 还没有安装 jc315：请先双击本文件夹里的“安装.bat”。
exit /b 2
