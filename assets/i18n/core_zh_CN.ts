<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>bootstrap</name>
    <message>
      <source>  hint: install Python {want} or newer (Ubuntu 22.04's python3 is 3.10) and start RigPilot with it.</source>
      <translation>  提示：请安装 Python {want} 或更新版本（Ubuntu 22.04 的 python3 是 3.10），并用它启动 RigPilot。</translation>
    </message>
    <message>
      <source>  hint: {hint}</source>
      <translation>  提示：{hint}</translation>
    </message>
    <message>
      <source>Cannot read the dependency list from {path}: {error}</source>
      <translation>无法从 {path} 读取依赖列表：{error}</translation>
    </message>
    <message>
      <source>Check that {python} can create virtual environments (python3 -m venv), or set RIGPILOT_VENV to a writable folder.</source>
      <translation>请确认 {python} 能创建虚拟环境（python3 -m venv），或把 RIGPILOT_VENV 设为一个可写的文件夹。</translation>
    </message>
    <message>
      <source>Check the network connection or your pip index settings (pip config list), then start again.</source>
      <translation>请检查网络连接或 pip 的软件源设置（pip config list），然后重新启动。</translation>
    </message>
    <message>
      <source>Could not create the virtual environment {venv}: {detail}</source>
      <translation>无法创建虚拟环境 {venv}：{detail}</translation>
    </message>
    <message>
      <source>Debian/Ubuntu: sudo apt install python{version}-venv (or python3-venv), then start again.</source>
      <translation>Debian/Ubuntu：sudo apt install python{version}-venv（或 python3-venv），然后重新启动。</translation>
    </message>
    <message>
      <source>Delete {venv} and start again.</source>
      <translation>请删除 {venv} 后重新启动。</translation>
    </message>
    <message>
      <source>Installing the dependencies failed (exit code {rc}; pip's message is above).</source>
      <translation>安装依赖失败（退出码 {rc}；pip 的信息见上方）。</translation>
    </message>
    <message>
      <source>RigPilot: error [python-too-old]: RigPilot needs Python {want} or newer; this is {have} ({python}).</source>
      <translation>RigPilot：错误 [python-too-old]：RigPilot 需要 Python {want} 或更新版本；当前是 {have}（{python}）。</translation>
    </message>
    <message>
      <source>RigPilot: error [{code}]: {message}</source>
      <translation>RigPilot：错误 [{code}]：{message}</translation>
    </message>
    <message>
      <source>RigPilot: first start, creating {venv} (a minute or two)...</source>
      <translation>RigPilot：首次启动，正在创建 {venv}（需要一两分钟）……</translation>
    </message>
    <message>
      <source>RigPilot: installing {packages}</source>
      <translation>RigPilot：正在安装 {packages}</translation>
    </message>
    <message>
      <source>Set RIGPILOT_VENV to a new folder, or move that folder away.</source>
      <translation>请把 RIGPILOT_VENV 设为一个新文件夹，或把该文件夹移走。</translation>
    </message>
    <message>
      <source>Started {python} of {venv}, but it does not run inside that environment.</source>
      <translation>已启动 {venv} 中的 {python}，但它并未在该环境中运行。</translation>
    </message>
    <message>
      <source>Still missing inside {venv} after installing: {names}.</source>
      <translation>安装后 {venv} 中仍然缺少：{names}。</translation>
    </message>
    <message>
      <source>The RigPilot folder is incomplete or damaged: download or clone it again.</source>
      <translation>RigPilot 文件夹不完整或已损坏：请重新下载或克隆。</translation>
    </message>
    <message>
      <source>{venv} exists and is not a virtual environment; RigPilot will not write into it.</source>
      <translation>{venv} 已存在且不是虚拟环境；RigPilot 不会写入其中。</translation>
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <source>RigPilot hit an internal error in '{command}': {error}</source>
      <translation>RigPilot 在“{command}”中遇到内部错误：{error}</translation>
    </message>
    <message>
      <source>Run the command again with -v to see the traceback, and report it together with the output of 'python main.py report'.</source>
      <translation>请加上 -v 重新运行该命令以查看回溯信息，并连同“python main.py report”的输出一起报告。</translation>
    </message>
    <message>
      <source>  hint: {hint}</source>
      <translation>  提示：{hint}</translation>
    </message>
    <message>
      <source>*** SIMULATED rig: {name} ***</source>
      <translation>*** 模拟机器：{name} ***</translation>
    </message>
    <message>
      <source>GPUs: none found</source>
      <translation>显卡：未找到</translation>
    </message>
    <message>
      <source>Host: {os} ({platform}, {arch}), {cpu}, RAM {ram}</source>
      <translation>主机：{os}（{platform}，{arch}），{cpu}，内存 {ram}</translation>
    </message>
    <message>
      <source>Problems:</source>
      <translation>问题：</translation>
    </message>
    <message>
      <source>Python {version} at {path}: torch {torch}, device APIs: {apis}</source>
      <translation>Python {version}（{path}）：torch {torch}，可用设备接口：{apis}</translation>
    </message>
    <message>
      <source>RigPilot: set up and tune a GPU for local image/video generation. Without a command, the desktop app starts.</source>
      <translation>RigPilot：为本地图像/视频生成配置并调优显卡。不带命令时启动桌面程序。</translation>
    </message>
    <message>
      <source>also inspect the torch build of this interpreter (repeatable)</source>
      <translation>同时检查该解释器中的 torch 版本（可重复指定）</translation>
    </message>
    <message>
      <source>cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>detect GPUs, drivers, smi tools and Python/torch builds</source>
      <translation>检测显卡、驱动、smi 工具以及 Python/torch 版本</translation>
    </message>
    <message>
      <source>driver {driver} ({tool} {tool_version}), VRAM {vram}, compute {api} {detail}</source>
      <translation>驱动 {driver}（{tool} {tool_version}），显存 {vram}，计算接口 {api} {detail}</translation>
    </message>
    <message>
      <source>error [{code}]: {message}</source>
      <translation>错误 [{code}]：{message}</translation>
    </message>
    <message>
      <source>hint: {hint}</source>
      <translation>提示：{hint}</translation>
    </message>
    <message>
      <source>include per-source timings</source>
      <translation>包含每个数据源的耗时</translation>
    </message>
    <message>
      <source>language of the output</source>
      <translation>输出语言</translation>
    </message>
    <message>
      <source>log details to stderr</source>
      <translation>把详细日志输出到 stderr</translation>
    </message>
    <message>
      <source>overall deadline in seconds (default 10)</source>
      <translation>总时限（秒，默认 10）</translation>
    </message>
    <message>
      <source>print the rigpilot.probe/1 JSON</source>
      <translation>输出 rigpilot.probe/1 格式的 JSON</translation>
    </message>
    <message>
      <source>probe a built-in simulated rig</source>
      <translation>检测一台内置的模拟机器</translation>
    </message>
    <message>
      <source>probe a recording instead of this machine</source>
      <translation>检测一份录制数据，而不是本机</translation>
    </message>
    <message>
      <source>sources: {sources}</source>
      <translation>数据来源：{sources}</translation>
    </message>
    <message>
      <source>write every command and file read into DIR</source>
      <translation>把执行的每条命令和读取的每个文件记录到 DIR</translation>
    </message>
    <message>
      <source>Display adapters (they show the desktop, they cannot run generation):</source>
      <translation>显示适配器（只能显示桌面，不能用于生成）：</translation>
    </message>
    <message>
      <source>virtual machine display</source>
      <translation>虚拟机显示设备</translation>
    </message>
    <message>
      <source>server management controller display</source>
      <translation>服务器管理控制器的显示设备</translation>
    </message>
    <message>
      <source>display adapter</source>
      <translation>显示适配器</translation>
    </message>
  </context>
  <context>
    <name>telemetry</name>
    <message>
      <source>This source cannot change the power limit.</source>
      <translation>该数据源无法修改功耗上限。</translation>
    </message>
    </context>
</TS>
