; RigPilot-Setup-<version>.exe: a per-user installer (no administrator rights).
;
;   installs into   $LOCALAPPDATA\Programs\RigPilot (or /D=...), never touching another user
;   payload         RigPilot.exe (launcher.nsi), app\ (the sources), bootstrap\ (uv.exe, the hashed
;                   lock, bootstrap.cmd and what it reads), rigpilot.ico
;   shortcuts       Start menu, and the desktop unless unticked or /NODESKTOP; named in the
;                   installer's language (English or Simplified Chinese, from the system language)
;   uninstaller     registered under HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\RigPilot;
;                   removes the program and the runtime it downloaded (runtime\), never the data
;                   folder %LOCALAPPDATA%\RigPilot (models, installs, logs, settings) unless its
;                   component is ticked or /DELETEDATA is given
;   silent          RigPilot-Setup-X.exe /S [/NODESKTOP] [/D=C:\path with spaces\RigPilot]  (/D= last)
;                   Uninstall.exe /S [/DELETEDATA]
; An update is the same setup program run again: app\ and bootstrap\ are replaced, runtime\ is
; kept, and the first start re-syncs it only if the lock changed.
;
; Built by tools/build_dist.py: makensis -INPUTCHARSET UTF8 -DRP_VERSION=... -DRP_VERSION_QUAD=...
;   -DRP_PAYLOAD=DIR -DRP_ICON=... -DRP_OUT=... RigPilot.nsi
; 64-bit: the payload's uv.exe and the Pythons it installs are x64 (win_amd64) anyway
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\RigPilot"
; the shortcut's name in each language (the uninstaller removes both, whatever language it runs in)
!define SHORTCUT_EN "RigPilot GPU Assistant"
!define SHORTCUT_ZH "RigPilot 显卡助手"

Name "RigPilot ${RP_VERSION}"
OutFile "${RP_OUT}"
InstallDir "$LOCALAPPDATA\Programs\RigPilot"
BrandingText "RigPilot ${RP_VERSION}"
VIProductVersion "${RP_VERSION_QUAD}"
VIAddVersionKey /LANG=0 "ProductName" "RigPilot"
VIAddVersionKey /LANG=0 "ProductVersion" "${RP_VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${RP_VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "RigPilot setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT License"

!define MUI_ICON "${RP_ICON}"
!define MUI_UNICON "${RP_ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\RigPilot.exe"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; the first language is the fallback; NSIS picks SimpChinese on a Chinese (Simplified) system
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString ShortcutName ${LANG_ENGLISH} "${SHORTCUT_EN}"
LangString ShortcutName ${LANG_SIMPCHINESE} "${SHORTCUT_ZH}"
LangString ShortcutComment ${LANG_ENGLISH} "Set up and watch local image generation on your GPU"
LangString ShortcutComment ${LANG_SIMPCHINESE} "在你的显卡上配置并监控本地图像生成"
LangString SecProgram ${LANG_ENGLISH} "RigPilot (required)"
LangString SecProgram ${LANG_SIMPCHINESE} "RigPilot（必需）"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString RunNow ${LANG_ENGLISH} "Start RigPilot now (the first start downloads Python and packages)"
LangString RunNow ${LANG_SIMPCHINESE} "立即启动 RigPilot（首次启动会下载 Python 和软件包）"
LangString UnSecProgram ${LANG_ENGLISH} "RigPilot program"
LangString UnSecProgram ${LANG_SIMPCHINESE} "RigPilot 程序"
LangString UnSecData ${LANG_ENGLISH} "Also delete my RigPilot data (models, installs, logs, settings)"
LangString UnSecData ${LANG_SIMPCHINESE} "同时删除我的 RigPilot 数据（模型、安装、日志、设置）"

Section "$(SecProgram)" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; an update replaces the code; runtime\ (Python, packages, download cache) is kept and reused
  RMDir /r "$INSTDIR\app"
  RMDir /r "$INSTDIR\bootstrap"
  File "${RP_PAYLOAD}/RigPilot.exe"
  File "${RP_PAYLOAD}/rigpilot.ico"
  File /r "${RP_PAYLOAD}/app"
  File /r "${RP_PAYLOAD}/bootstrap"
  FileOpen $0 "$INSTDIR\lang.txt" w
  ${If} $LANGUAGE == ${LANG_SIMPCHINESE}
    FileWrite $0 "zh_CN"
  ${Else}
    FileWrite $0 "en"
  ${EndIf}
  FileClose $0
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateShortcut "$SMPROGRAMS\$(ShortcutName).lnk" "$INSTDIR\RigPilot.exe" "" "$INSTDIR\rigpilot.ico" 0 \
    SW_SHOWNORMAL "" "$(ShortcutComment)"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "RigPilot"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${RP_VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "RigPilot"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\rigpilot.ico"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecDesktop)" SecDesktop
  CreateShortcut "$DESKTOP\$(ShortcutName).lnk" "$INSTDIR\RigPilot.exe" "" "$INSTDIR\rigpilot.ico" 0 \
    SW_SHOWNORMAL "" "$(ShortcutComment)"
SectionEnd

Function .onInit
  SetShellVarContext current
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/NODESKTOP" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecDesktop} 0
  ${EndIf}
FunctionEnd

Section "un.$(UnSecProgram)" UnSecProgram
  SectionIn RO
  Delete "$SMPROGRAMS\${SHORTCUT_EN}.lnk"
  Delete "$SMPROGRAMS\${SHORTCUT_ZH}.lnk"
  Delete "$DESKTOP\${SHORTCUT_EN}.lnk"
  Delete "$DESKTOP\${SHORTCUT_ZH}.lnk"
  ; only what the setup program and the first start put there: /D= may have named a shared folder
  RMDir /r "$INSTDIR\app"
  RMDir /r "$INSTDIR\bootstrap"
  RMDir /r "$INSTDIR\runtime"
  Delete "$INSTDIR\RigPilot.exe"
  Delete "$INSTDIR\rigpilot.ico"
  Delete "$INSTDIR\lang.txt"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd

Section /o "un.$(UnSecData)" UnSecData
  RMDir /r "$LOCALAPPDATA\RigPilot"
SectionEnd

Function un.onInit
  SetShellVarContext current
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DELETEDATA" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd
