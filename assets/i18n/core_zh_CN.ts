<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>cli</name>
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
