@chcp 65001 >nul
@echo off
rem RigPilot's first-run bootstrap on Windows. RigPilot.exe (the Start menu entry) runs it in a
rem console window when runtime\ready.txt does not hold the hash of requirements.lock: the first
rem start, and the first start after an update that changed a pin. It can also be run by hand.
rem
rem   1. asks where to download from: the package index and the Python builds (mirrors-<lang>.cmd,
rem      rendered at build time from profiles/data/tables/mirrors.toml, China mainland first for zh_CN);
rem   2. uv python install <version>      -> runtime\python (uv skips it when already there)
rem   3. uv venv                           -> runtime\venv   (skipped when it exists: updates reuse it)
rem   4. uv pip sync --require-hashes requirements.lock     (exact pins, every file's hash checked)
rem   5. writes runtime\ready.txt (the lock's hash) and starts pythonw.exe main.py.
rem A failed step says which address failed and asks: R retry, M other mirrors, Q quit. Nothing is
rem marked ready until every step succeeded, so a download cut off halfway is resumed next time.
rem Without questions (IT, tests): RIGPILOT_PYPI_MIRROR=N and RIGPILOT_PYTHON_MIRROR=N choose by number.
rem This file is ASCII on purpose: the translated messages come from messages-<lang>.cmd (UTF-8).
setlocal EnableExtensions DisableDelayedExpansion
set "RP_BOOT=%~dp0"
set "RP_BOOT=%RP_BOOT:~0,-1%"
for %%I in ("%RP_BOOT%\..") do set "RP_HOME=%%~fI"
set "RP_APP=%RP_HOME%\app"
set "RP_RT=%RP_HOME%\runtime"
set "RP_UV=%RP_BOOT%\uv.exe"
set "RP_LOCK=%RP_BOOT%\requirements.lock"
set "RP_LOG=%RP_RT%\bootstrap.log"
set "RP_LANG=en"
if exist "%RP_HOME%\lang.txt" set /p RP_LANG=<"%RP_HOME%\lang.txt"
if defined RIGPILOT_LANG set "RP_LANG=%RIGPILOT_LANG%"
if /i "%RP_LANG:~0,2%"=="zh" (set "RP_LANG=zh_CN") else set "RP_LANG=en"
set "RP_MISSING="
for %%F in ("%RP_UV%" "%RP_LOCK%" "%RP_BOOT%\lock.sha256" "%RP_BOOT%\config.cmd" "%RP_BOOT%\messages-%RP_LANG%.cmd" "%RP_BOOT%\mirrors-%RP_LANG%.cmd" "%RP_APP%\main.py") do if not exist %%F set "RP_MISSING=%%~F"
if defined RP_MISSING goto incomplete
call "%RP_BOOT%\config.cmd"
call "%RP_BOOT%\messages-%RP_LANG%.cmd"
call "%RP_BOOT%\mirrors-%RP_LANG%.cmd"
title %M_TITLE%
set /p RP_WANT=<"%RP_BOOT%\lock.sha256"
set "RP_HAVE="
if exist "%RP_RT%\ready.txt" set /p RP_HAVE=<"%RP_RT%\ready.txt"
if exist "%RP_RT%\venv\Scripts\pythonw.exe" if "%RP_HAVE%"=="%RP_WANT%" goto launch
if not exist "%RP_RT%" mkdir "%RP_RT%"
set "UV_PYTHON_INSTALL_DIR=%RP_RT%\python"
set "UV_CACHE_DIR=%RP_RT%\cache"
>>"%RP_LOG%" echo [%date% %time%] RigPilot %RP_VERSION%: bootstrap, lock %RP_WANT%
echo %M_TITLE%
echo.
echo %M_INTRO%

:choose
echo.
echo %M_CHOOSE_INDEX%
call :pick PYPI RIGPILOT_PYPI_MIRROR
echo.
echo %M_CHOOSE_PYTHON%
call :pick PYTHON RIGPILOT_PYTHON_MIRROR

:install
set "RP_STEP=python"
echo.
echo %M_STEP_PYTHON%
>>"%RP_LOG%" echo [%date% %time%] uv python install %RP_PYTHON% --mirror "%RP_PYTHON_URL%"
"%RP_UV%" python install %RP_PYTHON% --mirror "%RP_PYTHON_URL%" --no-bin --no-registry --no-config
if errorlevel 1 goto failed
set "RP_STEP=venv"
echo %M_STEP_VENV%
if exist "%RP_RT%\venv\Scripts\python.exe" goto packages
>>"%RP_LOG%" echo [%date% %time%] uv venv "%RP_RT%\venv" --python %RP_PYTHON%
"%RP_UV%" venv "%RP_RT%\venv" --python %RP_PYTHON% --managed-python --no-python-downloads --no-config
if errorlevel 1 goto failed

:packages
set "RP_STEP=packages"
echo %M_STEP_PACKAGES%
>>"%RP_LOG%" echo [%date% %time%] uv pip sync requirements.lock --index-url "%RP_PYPI_URL%"
"%RP_UV%" pip sync "%RP_LOCK%" --python "%RP_RT%\venv\Scripts\python.exe" --index-url "%RP_PYPI_URL%" --require-hashes --no-config
if errorlevel 1 goto failed
if not exist "%RP_RT%\venv\Scripts\pythonw.exe" goto failed
>"%RP_RT%\ready.txt" echo %RP_WANT%
>>"%RP_LOG%" echo [%date% %time%] ready
echo.
echo %M_READY%
goto launch

:failed
set "RP_RC=%errorlevel%"
>>"%RP_LOG%" echo [%date% %time%] step %RP_STEP% failed, exit code %RP_RC%
echo.
call :failure_%RP_STEP%
echo %M_FAIL_HINT%
echo   "%RP_LOG%"
echo.
echo %M_RETRY_MENU%
set "RP_ANS="
set /p "RP_ANS=> "
if not defined RP_ANS goto quit
set "RP_ANS=%RP_ANS:"=%"
>>"%RP_LOG%" echo [%date% %time%] answer "%RP_ANS%"
if /i "%RP_ANS%"=="R" goto install
if /i "%RP_ANS%"=="M" goto choose
goto quit

:launch
rem RigPilot's own installs choose their Pythons and caches themselves: nothing of this script's leaks
set "UV_PYTHON_INSTALL_DIR="
set "UV_CACHE_DIR="
set "RIGPILOT_NO_BOOTSTRAP=1"
start "RigPilot" /D "%RP_HOME%" "%RP_RT%\venv\Scripts\pythonw.exe" "%RP_APP%\main.py" %*
exit /b 0

:quit
>>"%RP_LOG%" echo [%date% %time%] quit
echo %M_QUIT%
exit /b 1

:incomplete
if "%RP_LANG%"=="zh_CN" if exist "%RP_BOOT%\messages-zh_CN.cmd" call "%RP_BOOT%\messages-zh_CN.cmd"
if not defined M_INCOMPLETE if exist "%RP_BOOT%\messages-en.cmd" call "%RP_BOOT%\messages-en.cmd"
if not defined M_INCOMPLETE set "M_INCOMPLETE=This RigPilot installation is incomplete. Run the setup program again."
echo %M_INCOMPLETE%
echo   "%RP_MISSING%"
pause
exit /b 2

:failure_python
echo %M_FAIL_PYTHON%
echo   "%RP_PYTHON_URL%"
exit /b 0

:failure_venv
echo %M_FAIL_VENV%
echo   "%RP_RT%\venv"
exit /b 0

:failure_packages
echo %M_FAIL_PACKAGES%
echo   "%RP_PYPI_URL%"
exit /b 0

:pick
rem %1: PYPI or PYTHON (the RP_<kind>_<n>_URL/TITLE lists of mirrors-<lang>.cmd); %2: the variable that
rem chooses without asking. Sets RP_<kind>_URL; a missing, unknown or empty answer takes number 1.
set "RP_N="
call set "RP_N=%%%~2%%"
call set "RP_COUNT=%%RP_%~1_COUNT%%"
if defined RP_N goto pick_check
for /l %%i in (1,1,%RP_COUNT%) do call echo   %%i. %%RP_%~1_%%i_TITLE%%   %%RP_%~1_%%i_URL%%
set /p "RP_N=%M_PROMPT% [1]: "
:pick_check
if not defined RP_N set "RP_N=1"
set "RP_N=%RP_N:"=%"
set "RP_OK="
for /l %%i in (1,1,%RP_COUNT%) do if "%RP_N%"=="%%i" set "RP_OK=1"
if not defined RP_OK set "RP_N=1"
call set "RP_%~1_URL=%%RP_%~1_%RP_N%_URL%%"
>>"%RP_LOG%" echo [%date% %time%] %~1 mirror %RP_N%
exit /b 0
