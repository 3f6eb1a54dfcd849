<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>DetectPage</name>
    <message>
      <source>Check the torch build of a Python environment (its interpreter), e.g. the venv ComfyUI runs in</source>
      <translation>检查某个 Python 环境（其解释器）中的 torch 版本，例如 ComfyUI 所用的虚拟环境</translation>
    </message>
    <message>
      <source>Choose the Python interpreter of an environment</source>
      <translation>选择一个环境的 Python 解释器</translation>
    </message>
    <message>
      <source>Compute</source>
      <translation>计算</translation>
    </message>
    <message>
      <source>Copy a Markdown report for a bug report; names and serials are removed</source>
      <translation>复制一份用于问题反馈的 Markdown 报告；用户名和序列号会被隐去</translation>
    </message>
    <message>
      <source>Copy report</source>
      <translation>复制报告</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>驱动</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>Graphics cards</source>
      <translation>显卡</translation>
    </message>
    <message>
      <source>Hint: {hint}</source>
      <translation>提示：{hint}</translation>
    </message>
    <message>
      <source>Information</source>
      <translation>提示</translation>
    </message>
    <message>
      <source>Inspect Python…</source>
      <translation>检查 Python…</translation>
    </message>
    <message>
      <source>Look at this machine again (takes a few seconds)</source>
      <translation>重新检查本机（需要几秒钟）</translation>
    </message>
    <message>
      <source>Markdown (*.md);;All files (*)</source>
      <translation>Markdown 文件 (*.md);;所有文件 (*)</translation>
    </message>
    <message>
      <source>No Python environment was inspected. 'Inspect Python…' checks the torch build of an existing one ('probe --python PATH' on the command line).</source>
      <translation>尚未检查任何 Python 环境。“检查 Python…”可检查已有环境中的 torch 版本（命令行中用 'probe --python PATH'）。</translation>
    </message>
    <message>
      <source>No graphics card found</source>
      <translation>未找到显卡</translation>
    </message>
    <message>
      <source>No problems found.</source>
      <translation>未发现问题。</translation>
    </message>
    <message>
      <source>No scan yet</source>
      <translation>尚未扫描</translation>
    </message>
    <message>
      <source>Nothing that looks like a graphics card answered on the PCI bus or through a vendor tool. Image generation would run on the CPU, which is very slow. See the problems below for what to check.</source>
      <translation>在 PCI 总线上和厂商工具中都没有发现显卡。图像生成将在 CPU 上运行，速度会非常慢。请查看下方的问题了解需要检查什么。</translation>
    </message>
    <message>
      <source>Other Python interpreters found (torch not inspected):</source>
      <translation>找到的其他 Python 解释器（未检查 torch）：</translation>
    </message>
    <message>
      <source>PCI</source>
      <translation>PCI</translation>
    </message>
    <message>
      <source>Press Re-scan first.</source>
      <translation>请先点击“重新扫描”。</translation>
    </message>
    <message>
      <source>Press Re-scan to look at the graphics cards, drivers and Python environments of this machine. Nothing is changed.</source>
      <translation>点击“重新扫描”查看本机的显卡、驱动和 Python 环境。此操作不会修改任何东西。</translation>
    </message>
    <message>
      <source>Press Re-scan to try again. If it happens again, run 'python main.py report' in a terminal and attach its output to a bug report.</source>
      <translation>点击“重新扫描”再试一次。如果仍然出错，请在终端运行 'python main.py report'，并把输出附在问题反馈中。</translation>
    </message>
    <message>
      <source>Problems</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>Python and torch</source>
      <translation>Python 与 torch</translation>
    </message>
    <message>
      <source>Python interpreter (python*);;All files (*)</source>
      <translation>Python 解释器 (python*);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Python {version} at {path}</source>
      <translation>Python {version}，位于 {path}</translation>
    </message>
    <message>
      <source>RAM {size}</source>
      <translation>内存 {size}</translation>
    </message>
    <message>
      <source>Re-scan</source>
      <translation>重新扫描</translation>
    </message>
    <message>
      <source>Reading the PCI bus, the drivers and the vendor tools. This takes a few seconds; you can keep using the window.</source>
      <translation>正在读取 PCI 总线、驱动和厂商工具。这需要几秒钟，期间窗口可以照常使用。</translation>
    </message>
    <message>
      <source>Report copied to the clipboard (names and serials redacted)</source>
      <translation>报告已复制到剪贴板（用户名和序列号已隐去）</translation>
    </message>
    <message>
      <source>Report saved to {path}</source>
      <translation>报告已保存到 {path}</translation>
    </message>
    <message>
      <source>Save report</source>
      <translation>保存报告</translation>
    </message>
    <message>
      <source>Scan failed</source>
      <translation>扫描失败</translation>
    </message>
    <message>
      <source>Scan finished</source>
      <translation>扫描完成</translation>
    </message>
    <message>
      <source>Scanning this machine…</source>
      <translation>正在扫描本机…</translation>
    </message>
    <message>
      <source>Scanning…</source>
      <translation>正在扫描…</translation>
    </message>
    <message>
      <source>Scanning… {done}/{total} ({source})</source>
      <translation>正在扫描… {done}/{total}（{source}）</translation>
    </message>
    <message>
      <source>Sources</source>
      <translation>信息来源</translation>
    </message>
    <message>
      <source>The scan did not finish.</source>
      <translation>扫描未能完成。</translation>
    </message>
    <message>
      <source>The scan stopped with an unexpected error: {error}</source>
      <translation>扫描因意外错误而停止：{error}</translation>
    </message>
    <message>
      <source>There is nothing to report yet.</source>
      <translation>目前还没有可报告的内容。</translation>
    </message>
    <message>
      <source>This computer: {host}</source>
      <translation>本机：{host}</translation>
    </message>
    <message>
      <source>Tool</source>
      <translation>工具</translation>
    </message>
    <message>
      <source>Unknown graphics card</source>
      <translation>未知显卡</translation>
    </message>
    <message>
      <source>VRAM</source>
      <translation>显存</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>警告</translation>
    </message>
    <message>
      <source>What is in this machine: graphics cards, drivers, tools, Python and torch.</source>
      <translation>本机有什么：显卡、驱动、工具、Python 和 torch。</translation>
    </message>
    <message>
      <source>at {bus}</source>
      <translation>位于 {bus}</translation>
    </message>
    <message>
      <source>capability {value}</source>
      <translation>计算能力 {value}</translation>
    </message>
    <message>
      <source>devices: {names}</source>
      <translation>设备：{names}</translation>
    </message>
    <message>
      <source>driver supports CUDA up to {value}</source>
      <translation>驱动最高支持 CUDA {value}</translation>
    </message>
    <message>
      <source>error: {error}</source>
      <translation>错误：{error}</translation>
    </message>
    <message>
      <source>no torch installed</source>
      <translation>未安装 torch</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <source>none found</source>
      <translation>未找到</translation>
    </message>
    <message>
      <source>not installed</source>
      <translation>未安装</translation>
    </message>
    <message>
      <source>not loaded</source>
      <translation>未加载</translation>
    </message>
    <message>
      <source>scanned in {seconds:.1f} s</source>
      <translation>扫描用时 {seconds:.1f} 秒</translation>
    </message>
    <message>
      <source>torch {torch} · device APIs that work: {apis}</source>
      <translation>torch {torch} · 可用的设备接口：{apis}</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>未知</translation>
    </message>
    <message>
      <source>{gpus} graphics card(s), {errors} error(s), {warnings} warning(s)</source>
      <translation>{gpus} 块显卡，{errors} 个错误，{warnings} 个警告</translation>
    </message>
    <message>
      <source>{n} problem(s) below concern this card</source>
      <translation>下方有 {n} 个问题与这块显卡有关</translation>
    </message>
    <message>
      <source>Virtual machine display</source>
      <translation>虚拟机显示设备</translation>
    </message>
    <message>
      <source>Server management controller display</source>
      <translation>服务器管理控制器的显示设备</translation>
    </message>
    <message>
      <source>Display adapter</source>
      <translation>显示适配器</translation>
    </message>
    <message>
      <source>Unknown display adapter</source>
      <translation>未知的显示适配器</translation>
    </message>
    <message>
      <source>{kind} · shows the desktop, cannot run generation</source>
      <translation>{kind} · 只能显示桌面，不能用于生成</translation>
    </message>
    <message>
      <source>Only a display adapter was found (below): it shows the desktop but cannot run generation. Image generation would run on the CPU, which is very slow. See the problems below for what to check.</source>
      <translation>只找到了显示适配器（见下方）：它能显示桌面，但不能用于生成。图像生成将在 CPU 上运行，速度非常慢。请查看下方的问题了解需要检查什么。</translation>
    </message>
    <message>
      <source>Display adapters</source>
      <translation>显示适配器</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>GPU setup assistant</source>
      <translation>显卡配置助手</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source>Not scanned yet</source>
      <translation>尚未扫描</translation>
    </message>
    <message>
      <source>RigPilot — GPU setup for local image generation</source>
      <translation>RigPilot — 本地图像生成的显卡配置</translation>
    </message>
    <message>
      <source>SIMULATED</source>
      <translation>模拟</translation>
    </message>
    <message>
      <source>SIMULATED rig '{name}': everything shown is a recording, not this machine.</source>
      <translation>模拟机器“{name}”：显示的内容均来自录制数据，并非本机。</translation>
    </message>
    <message>
      <source>Saved probe result from {path}: not a live scan of this machine.</source>
      <translation>来自 {path} 的已保存检测结果：并非对本机的实时扫描。</translation>
    </message>
    <message>
      <source>{gpus} GPU(s) · {errors} error(s) · {warnings} warning(s)</source>
      <translation>{gpus} 块显卡 · {errors} 个错误 · {warnings} 个警告</translation>
    </message>
    <message>
      <source>Chinese (needs a Chinese font)</source>
      <translation>中文（需要中文字体）</translation>
    </message>
    <message>
      <source>Chinese cannot be shown: no installed font has its characters, so RigPilot is in English. Install a Chinese font ({command}), then restart RigPilot or choose Chinese again under Language.</source>
      <translation>无法显示中文：已安装的字体中没有中文字符，因此 RigPilot 以英文显示。请安装中文字体（{command}），然后重启 RigPilot，或在“语言”中重新选择中文。</translation>
    </message>
  </context>
  <context>
    <name>PlannedPage</name>
    <message>
      <source>Planned</source>
      <translation>计划中</translation>
    </message>
    <message>
      <source>This page could not be opened: {error}. The other steps still work; please report this with 'python main.py report' attached.</source>
      <translation>无法打开此页面：{error}。其他步骤仍可使用；请附上 'python main.py report' 的输出报告此问题。</translation>
    </message>
    <message>
      <source>This step is not available in this version yet. Nothing on this page is done for you until it is.</source>
      <translation>此步骤在当前版本中尚不可用。在它完成之前，本页面不会替你做任何操作。</translation>
    </message>
  </context>
  <context>
    <name>Steps</name>
    <message>
      <source>Detect</source>
      <translation>检测</translation>
    </message>
    <message>
      <source>Detect will list the graphics cards in this machine, their drivers and tools, and the Python and torch builds it finds, with a hint for every problem.</source>
      <translation>“检测”会列出本机的显卡、驱动和工具，以及找到的 Python 与 torch 版本，并为每个问题给出解决提示。</translation>
    </message>
    <message>
      <source>Install</source>
      <translation>安装</translation>
    </message>
    <message>
      <source>Install will create a separate Python environment with the exact torch and toolkit packages of the chosen profile, without touching your other Python installations.</source>
      <translation>“安装”会按所选方案创建一个独立的 Python 环境，装入版本精确的 torch 和工具包，不会改动你已有的其他 Python。</translation>
    </message>
    <message>
      <source>Launch</source>
      <translation>启动</translation>
    </message>
    <message>
      <source>Launch will write start scripts for ComfyUI and similar apps, with the memory and precision settings that suit your card.</source>
      <translation>“启动”会为 ComfyUI 等应用生成启动脚本，并写入适合你显卡的显存和精度设置。</translation>
    </message>
    <message>
      <source>Match</source>
      <translation>匹配</translation>
    </message>
    <message>
      <source>Match will choose the setup profile that fits your card, driver and operating system, and show where its advice comes from and how sure it is.</source>
      <translation>“匹配”会为你的显卡、驱动和操作系统选择合适的配置方案，并说明建议的来源和可信程度。</translation>
    </message>
    <message>
      <source>Monitor</source>
      <translation>监控</translation>
    </message>
    <message>
      <source>Monitor will show live temperature, memory, power and load of your card while it renders, and warn you when it runs too hot.</source>
      <translation>“监控”会在出图时实时显示显卡的温度、显存、功耗和负载，温度过高时提醒你。</translation>
    </message>
    <message>
      <source>Verify</source>
      <translation>验证</translation>
    </message>
    <message>
      <source>Verify will run a short built-in image generation test on your card and compare the result and speed with the CPU.</source>
      <translation>“验证”会在你的显卡上运行一个简短的内置图像生成测试，并与 CPU 的结果和速度进行比较。</translation>
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <source>Report written to {path}</source>
      <translation>报告已写入 {path}</translation>
    </message>
    <message>
      <source>Screenshot written to {path}</source>
      <translation>截图已写入 {path}</translation>
    </message>
    <message>
      <source>Start the RigPilot desktop app.</source>
      <translation>启动 RigPilot 桌面应用。</translation>
    </message>
    <message>
      <source>language of the interface: en or zh_CN</source>
      <translation>界面语言：en 或 zh_CN</translation>
    </message>
    <message>
      <source>overwrite FILE if it exists</source>
      <translation>FILE 已存在时覆盖它</translation>
    </message>
    <message>
      <source>render the window offscreen into FILE.png and exit</source>
      <translation>在后台把窗口渲染为 FILE.png 后退出</translation>
    </message>
    <message>
      <source>show a built-in simulated rig</source>
      <translation>显示一台内置的模拟机器</translation>
    </message>
    <message>
      <source>show a saved 'probe --json' result instead of scanning this machine</source>
      <translation>显示已保存的 'probe --json' 结果，而不是扫描本机</translation>
    </message>
    <message>
      <source>start the Monitor page with the thermal guard on</source>
      <translation>打开监控页时即开启温度守护</translation>
    </message>
    <message>
      <source>the step to show: {steps}</source>
      <translation>要显示的步骤：{steps}</translation>
    </message>
    <message>
      <source>window size in pixels, e.g. 1180x780</source>
      <translation>窗口大小（像素），例如 1180x780</translation>
    </message>
    <message>
      <source>with --screenshot: keep the app running S more seconds before the shot</source>
      <translation>配合 --screenshot：截图前让程序再运行 S 秒</translation>
    </message>
    <message>
      <source>with --simulate: run simulated time X times faster</source>
      <translation>配合 --simulate：模拟时间以 X 倍速运行</translation>
    </message>
    <message>
      <source>with --simulate: the simulated GPU load on the Monitor page, 0 to 100</source>
      <translation>配合 --simulate：监控页上模拟显卡的负载，0 到 100</translation>
    </message>
    <message>
      <source>write a Markdown diagnostic report (user, host names and serials redacted)</source>
      <translation>生成 Markdown 诊断报告（用户名、主机名和序列号已隐去）</translation>
    </message>
    <message>
      <source>write the report to FILE instead of the terminal</source>
      <translation>把报告写入 FILE，而不是输出到终端</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <source>'{value}' is not a window size.</source>
      <translation>“{value}”不是有效的窗口大小。</translation>
    </message>
    <message>
      <source>--run works with: {names}.</source>
      <translation>--run 可用于：{names}。</translation>
    </message>
    <message>
      <source>--simulate and --probe-json cannot be used together.</source>
      <translation>--simulate 和 --probe-json 不能同时使用。</translation>
    </message>
    <message>
      <source>Cannot read the probe result {path}: {detail}</source>
      <translation>无法读取检测结果 {path}：{detail}</translation>
    </message>
    <message>
      <source>Cannot write the report to {path}: {detail}</source>
      <translation>无法把报告写入 {path}：{detail}</translation>
    </message>
    <message>
      <source>Cannot write the screenshot to {path}.</source>
      <translation>无法把截图写入 {path}。</translation>
    </message>
    <message>
      <source>Check the free disk space and the folder permissions.</source>
      <translation>请检查磁盘剩余空间和文件夹权限。</translation>
    </message>
    <message>
      <source>Choose a folder you can write to.</source>
      <translation>请选择一个你有写入权限的文件夹。</translation>
    </message>
    <message>
      <source>Choose another file name or add --force to overwrite it.</source>
      <translation>请换一个文件名，或加上 --force 覆盖它。</translation>
    </message>
    <message>
      <source>Choose one of: {names}.</source>
      <translation>请从以下选项中选择：{names}。</translation>
    </message>
    <message>
      <source>Could not save the screenshot to {path}.</source>
      <translation>无法把截图保存到 {path}。</translation>
    </message>
    <message>
      <source>Debian/Ubuntu: sudo apt install {packages} (other systems: the xcb-util packages). The commands work without them.</source>
      <translation>Debian/Ubuntu：sudo apt install {packages}（其他系统：安装 xcb-util 系列软件包）。命令行功能不需要它们。</translation>
    </message>
    <message>
      <source>Give a file name like detect.png.</source>
      <translation>请使用类似 detect.png 的文件名。</translation>
    </message>
    <message>
      <source>Give a file name, for example rigpilot-report.md.</source>
      <translation>请给出文件名，例如 rigpilot-report.md。</translation>
    </message>
    <message>
      <source>Give a number of seconds from 0 to 120.</source>
      <translation>请给出 0 到 120 之间的秒数。</translation>
    </message>
    <message>
      <source>Give a percentage from 0 to 100.</source>
      <translation>请给出 0 到 100 之间的百分比。</translation>
    </message>
    <message>
      <source>Pass a file written by 'python main.py probe --json'.</source>
      <translation>请指定由 'python main.py probe --json' 生成的文件。</translation>
    </message>
    <message>
      <source>Run RigPilot in a desktop session (or ssh -X), or use the commands instead: python main.py probe, match, smoke, monitor …</source>
      <translation>请在桌面会话中（或通过 ssh -X）运行 RigPilot，或改用命令行：python main.py probe、match、smoke、monitor ……</translation>
    </message>
    <message>
      <source>The Qt window needs system libraries that are not installed: {libraries}.</source>
      <translation>Qt 窗口需要的系统库没有安装：{libraries}。</translation>
    </message>
    <message>
      <source>The folder must exist and be writable.</source>
      <translation>该文件夹必须存在且可写。</translation>
    </message>
    <message>
      <source>The language '{language}' is not available.</source>
      <translation>不支持语言“{language}”。</translation>
    </message>
    <message>
      <source>The page '{page}' has no action to start.</source>
      <translation>“{page}”页没有可启动的操作。</translation>
    </message>
    <message>
      <source>The screenshot file must end in .png: {path}</source>
      <translation>截图文件名必须以 .png 结尾：{path}</translation>
    </message>
    <message>
      <source>The simulated load {value} is out of range.</source>
      <translation>模拟负载 {value} 超出范围。</translation>
    </message>
    <message>
      <source>The wait of {value} s is out of range.</source>
      <translation>等待时间 {value} 秒超出范围。</translation>
    </message>
    <message>
      <source>There is no graphical display to open the window on.</source>
      <translation>没有可以打开窗口的图形显示。</translation>
    </message>
    <message>
      <source>There is no page called '{page}'.</source>
      <translation>没有名为“{page}”的页面。</translation>
    </message>
    <message>
      <source>Use one of them.</source>
      <translation>请只使用其中一个。</translation>
    </message>
    <message>
      <source>Write width x height in pixels, between 320x240 and 8000x8000, for example 1180x780.</source>
      <translation>请按“宽x高”填写像素值，范围 320x240 到 8000x8000，例如 1180x780。</translation>
    </message>
    <message>
      <source>{path} already exists; it was left unchanged.</source>
      <translation>{path} 已存在，未作改动。</translation>
    </message>
    <message>
      <source>{path} is a folder, not a file.</source>
      <translation>{path} 是文件夹，不是文件。</translation>
    </message>
  </context>
  <context>
    <name>report</name>
    <message>
      <source>Architecture</source>
      <translation>架构</translation>
    </message>
    <message>
      <source>Bus</source>
      <translation>总线地址</translation>
    </message>
    <message>
      <source>CPU</source>
      <translation>CPU</translation>
    </message>
    <message>
      <source>Compute</source>
      <translation>计算</translation>
    </message>
    <message>
      <source>Device APIs</source>
      <translation>设备接口</translation>
    </message>
    <message>
      <source>Devices</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>驱动</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>GPUs</source>
      <translation>显卡</translation>
    </message>
    <message>
      <source>Hint: {hint}</source>
      <translation>提示：{hint}</translation>
    </message>
    <message>
      <source>Host</source>
      <translation>主机</translation>
    </message>
    <message>
      <source>Kernel</source>
      <translation>内核</translation>
    </message>
    <message>
      <source>Memory</source>
      <translation>内存</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>No GPU was found.</source>
      <translation>未找到显卡。</translation>
    </message>
    <message>
      <source>No Python environment was inspected (use --python PATH).</source>
      <translation>未检查任何 Python 环境（可使用 --python PATH）。</translation>
    </message>
    <message>
      <source>No problems found.</source>
      <translation>未发现问题。</translation>
    </message>
    <message>
      <source>Operating system</source>
      <translation>操作系统</translation>
    </message>
    <message>
      <source>Platform</source>
      <translation>平台</translation>
    </message>
    <message>
      <source>Probe timings</source>
      <translation>检测耗时</translation>
    </message>
    <message>
      <source>Problems</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>Python</source>
      <translation>Python</translation>
    </message>
    <message>
      <source>Python and torch runtimes</source>
      <translation>Python 与 torch 运行环境</translation>
    </message>
    <message>
      <source>Python interpreters</source>
      <translation>Python 解释器</translation>
    </message>
    <message>
      <source>RigPilot diagnostic report</source>
      <translation>RigPilot 诊断报告</translation>
    </message>
    <message>
      <source>SIMULATED rig '{name}': this is not a real machine.</source>
      <translation>模拟机器“{name}”：这不是真实的机器。</translation>
    </message>
    <message>
      <source>Seconds</source>
      <translation>秒</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Sources</source>
      <translation>信息来源</translation>
    </message>
    <message>
      <source>Tool</source>
      <translation>工具</translation>
    </message>
    <message>
      <source>Tool versions</source>
      <translation>工具版本</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>值</translation>
    </message>
    <message>
      <source>Vendor</source>
      <translation>厂商</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>max CUDA {version}</source>
      <translation>最高 CUDA {version}</translation>
    </message>
    <message>
      <source>probe JSON</source>
      <translation>检测 JSON</translation>
    </message>
    <message>
      <source>total</source>
      <translation>总计</translation>
    </message>
    <message>
      <source>{version} (not loaded)</source>
      <translation>{version}（未加载）</translation>
    </message>
    <message>
      <source>Display adapters (not GPUs)</source>
      <translation>显示适配器（不是 GPU）</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
  </context>
</TS>
