; RigPilot.exe: what the Start menu and desktop shortcuts start. It has no window of its own.
;
; Every start after the first: runtime\ready.txt holds the hash of the lock this version was built
; with (RP_LOCK_SHA256) and runtime\venv\Scripts\pythonw.exe exists -> RigPilot starts there at
; once. Otherwise (the first start, or an update changed a pin): bootstrap\bootstrap.cmd runs in a
; console window that shows the downloads as they go (see that file).
;
; Built by tools/build_dist.py: makensis -INPUTCHARSET UTF8 -DRP_VERSION=... -DRP_VERSION_QUAD=...
;   -DRP_LOCK_SHA256=... -DRP_ICON=... -DRP_OUT=... launcher.nsi
; 64-bit: the payload's uv.exe and the Pythons it installs are x64 (win_amd64) anyway
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SilentInstall silent
SetCompressor /SOLID lzma

!include "LogicLib.nsh"
!include "TextFunc.nsh"

Name "RigPilot"
OutFile "${RP_OUT}"
Icon "${RP_ICON}"
VIProductVersion "${RP_VERSION_QUAD}"
VIAddVersionKey /LANG=0 "ProductName" "RigPilot"
VIAddVersionKey /LANG=0 "ProductVersion" "${RP_VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${RP_VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "RigPilot"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT License"

Section
  StrCpy $0 ""
  ClearErrors
  FileOpen $1 "$EXEDIR\runtime\ready.txt" r
  ${IfNot} ${Errors}
    FileRead $1 $0
    FileClose $1
  ${EndIf}
  ${TrimNewLines} "$0" $0
  SetOutPath "$EXEDIR"
  ${If} $0 == "${RP_LOCK_SHA256}"
  ${AndIf} ${FileExists} "$EXEDIR\runtime\venv\Scripts\pythonw.exe"
    System::Call 'kernel32::SetEnvironmentVariable(t "RIGPILOT_NO_BOOTSTRAP", t "1")'
    Exec '"$EXEDIR\runtime\venv\Scripts\pythonw.exe" "$EXEDIR\app\main.py"'
  ${ElseIf} ${FileExists} "$EXEDIR\bootstrap\bootstrap.cmd"
    ReadEnvStr $2 COMSPEC
    ${If} $2 == ""
      StrCpy $2 "$SYSDIR\cmd.exe"
    ${EndIf}
    Exec '"$2" /c ""$EXEDIR\bootstrap\bootstrap.cmd""'
  ${Else}
    MessageBox MB_ICONSTOP "$EXEDIR\bootstrap\bootstrap.cmd$\r$\n$\r$\nRigPilot is incomplete: run its setup program again. / RigPilot 安装不完整：请重新运行安装程序。"
  ${EndIf}
SectionEnd
