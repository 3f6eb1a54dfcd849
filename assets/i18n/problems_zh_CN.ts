<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>problems</name>
    <message>
      <source>No graphics card was found on the PCI bus.</source>
      <translation>在 PCI 总线上没有找到显卡。</translation>
    </message>
    <message>
      <source>Generation will run on the CPU, which is very slow. If a card is installed, check that it is seated and powered, and that the BIOS has not disabled it.</source>
      <translation>生成将在 CPU 上运行，速度非常慢。如果已安装显卡，请检查它是否插好并接通电源，以及 BIOS 是否禁用了它。</translation>
    </message>
    <message>
      <source>{name} is on the PCI bus but no driver is bound to it and no {vendor_tool} tool was found.</source>
      <translation>{name} 在 PCI 总线上，但没有绑定任何驱动，也没有找到 {vendor_tool} 工具。</translation>
    </message>
    <message>
      <source>Install the {vendor_label} driver for your operating system, then reboot and re-scan.</source>
      <translation>请为你的操作系统安装{vendor_label}驱动，然后重启并重新扫描。</translation>
    </message>
    <message>
      <source>The {vendor_label} driver is installed but not loaded for {name}.</source>
      <translation>{vendor_label}驱动已安装，但没有为 {name} 加载。</translation>
    </message>
    <message>
      <source>Load the kernel module ({module}) or reboot; check 'dmesg' for errors if it still fails.</source>
      <translation>加载内核模块（{module}）或重启；如果仍然失败，请用 'dmesg' 查看错误信息。</translation>
    </message>
    <message>
      <source>The NVIDIA driver library and the loaded kernel module have different versions.</source>
      <translation>NVIDIA 驱动库与已加载的内核模块版本不一致。</translation>
    </message>
    <message>
      <source>This happens after a driver update without a reboot: reboot (or reload the nvidia kernel modules).</source>
      <translation>这通常发生在更新驱动后没有重启：请重启（或重新加载 nvidia 内核模块）。</translation>
    </message>
    <message>
      <source>{tool} failed (exit code {rc}): {detail}</source>
      <translation>{tool} 运行失败（退出码 {rc}）：{detail}</translation>
    </message>
    <message>
      <source>Run '{command}' in a terminal to see the full message; reinstalling the driver often fixes a broken management tool.</source>
      <translation>在终端中运行 '{command}' 查看完整信息；重新安装驱动通常可以修复损坏的管理工具。</translation>
    </message>
    <message>
      <source>{tool} did not answer within {timeout} s and was stopped.</source>
      <translation>{tool} 在 {timeout} 秒内没有响应，已被终止。</translation>
    </message>
    <message>
      <source>The driver may be stuck or the card busy resetting. Reboot if '{command}' also hangs in a terminal.</source>
      <translation>驱动可能卡住了，或显卡正在复位。如果在终端中运行 '{command}' 也卡住，请重启。</translation>
    </message>
    <message>
      <source>The output of {tool} could not be read: {detail}</source>
      <translation>无法读取 {tool} 的输出：{detail}</translation>
    </message>
    <message>
      <source>Please attach 'python main.py report' to a bug report so the parser can learn this format.</source>
      <translation>请在错误报告中附上 'python main.py report' 的输出，以便解析器学习这种格式。</translation>
    </message>
    <message>
      <source>Reading {source} took longer than {timeout} s; its information is missing.</source>
      <translation>读取 {source} 超过了 {timeout} 秒，相关信息缺失。</translation>
    </message>
    <message>
      <source>Re-scan; if it keeps happening, the tool behind {source} is hanging.</source>
      <translation>请重新扫描；如果反复出现，说明 {source} 背后的工具卡住了。</translation>
    </message>
    <message>
      <source>Reading {source} failed unexpectedly ({detail}).</source>
      <translation>读取 {source} 时意外失败（{detail}）。</translation>
    </message>
    <message>
      <source>Please report this with 'python main.py report' attached.</source>
      <translation>请附上 'python main.py report' 的输出报告此问题。</translation>
    </message>
    <message>
      <source>{python} has a CPU-only torch ({torch}) although this machine has {gpu_name}.</source>
      <translation>{python} 中的 torch（{torch}）是仅 CPU 版本，但这台机器有 {gpu_name}。</translation>
    </message>
    <message>
      <source>Generation would silently run on the CPU. Install the torch build the Match page recommends.</source>
      <translation>生成会悄悄地在 CPU 上运行。请安装“匹配”页面推荐的 torch 版本。</translation>
    </message>
    <message>
      <source>torch {torch} in {python} has no kernels for {gpu_name} ({arch}); it was built for {arch_list}.</source>
      <translation>{python} 中的 torch {torch} 没有适用于 {gpu_name}（{arch}）的内核；它是为 {arch_list} 构建的。</translation>
    </message>
    <message>
      <source>You would get 'no kernel image is available'. Install a torch build whose arch list includes {arch} (see the Match page).</source>
      <translation>你会遇到 'no kernel image is available' 错误。请安装架构列表包含 {arch} 的 torch 版本（见“匹配”页面）。</translation>
    </message>
    <message>
      <source>Python {version} is not supported by {package} (needs {required}).</source>
      <translation>{package} 不支持 Python {version}（需要 {required}）。</translation>
    </message>
    <message>
      <source>Install Python {required} and let RigPilot create the environment with it.</source>
      <translation>请安装 Python {required}，并让 RigPilot 用它创建环境。</translation>
    </message>
    <message>
      <source>Could not inspect the Python environment {python}: {detail}</source>
      <translation>无法检查 Python 环境 {python}：{detail}</translation>
    </message>
    <message>
      <source>Check that the path is a Python interpreter; run it with '-c "import torch"' to see the error.</source>
      <translation>请确认该路径是 Python 解释器；用 '-c "import torch"' 运行它以查看错误。</translation>
    </message>
    <message>
      <source>This is the simulated rig '{name}', not your machine.</source>
      <translation>这是模拟机器 '{name}'，不是你的电脑。</translation>
    </message>
    <message>
      <source>Run without --simulate to probe the real hardware.</source>
      <translation>不带 --simulate 运行即可检测真实硬件。</translation>
    </message>
    <message>
      <source>{name} reports {used} MiB of video memory used out of {total} MiB.</source>
      <translation>{name} 报告已用显存 {used} MiB，超过总量 {total} MiB。</translation>
    </message>
    <message>
      <source>Used memory above the total is what Moore Threads' FAQ shows when IOMMU is off or misconfigured: enable IOMMU in the BIOS and add intel_iommu=on or amd_iommu=on to the kernel command line, then reboot.</source>
      <translation>摩尔线程的 FAQ 指出，IOMMU 关闭或配置错误时会出现已用显存超过总量：请在 BIOS 中开启 IOMMU，并在内核命令行中加入 intel_iommu=on 或 amd_iommu=on，然后重启。</translation>
    </message>
    <message>
      <source>Only a display adapter was found ({names}): it shows the desktop but cannot run generation.</source>
      <translation>只找到了显示适配器（{names}）：它能显示桌面，但不能用于生成。</translation>
    </message>
    <message>
      <source>Generation will run on the CPU, which is very slow. In a virtual machine, pass a GPU through to it (PCI passthrough) to use that GPU here.</source>
      <translation>生成将在 CPU 上运行，速度非常慢。在虚拟机中，请把一块 GPU 直通给它（PCI 直通），才能在这里使用该 GPU。</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <source>Could not read the output of {tool}: {detail}{where}</source>
      <translation>无法读取 {tool} 的输出：{detail}{where}</translation>
    </message>
    <message>
      <source>Run the tool by hand and attach its output to a bug report (python main.py report).</source>
      <translation>请手动运行该工具，并把输出附在错误报告中（python main.py report）。</translation>
    </message>
    <message>
      <source>No recording at {path}.</source>
      <translation>{path} 处没有录制文件。</translation>
    </message>
    <message>
      <source>Pass the folder written by 'probe --record DIR'.</source>
      <translation>请传入由 'probe --record DIR' 写出的文件夹。</translation>
    </message>
    <message>
      <source>The recording {path} cannot be read: {detail}</source>
      <translation>无法读取录制文件 {path}：{detail}</translation>
    </message>
    <message>
      <source>Record it again with 'probe --record DIR'.</source>
      <translation>请用 'probe --record DIR' 重新录制。</translation>
    </message>
    <message>
      <source>There is no simulated rig called '{name}'.</source>
      <translation>没有名为 '{name}' 的模拟机器。</translation>
    </message>
    <message>
      <source>Cannot write the recording into {path}: {detail}</source>
      <translation>无法把录制内容写入 {path}：{detail}</translation>
    </message>
    </context>
  <context>
    <name>vendors</name>
    <message>
      <source>NVIDIA</source>
      <translation>NVIDIA</translation>
    </message>
    <message>
      <source>AMD</source>
      <translation>AMD</translation>
    </message>
    <message>
      <source>Intel</source>
      <translation>英特尔</translation>
    </message>
    <message>
      <source>Moore Threads</source>
      <translation>摩尔线程</translation>
    </message>
    <message>
      <source>Innosilicon (Fantasy)</source>
      <translation>芯动科技（风华）</translation>
    </message>
    <message>
      <source>Iluvatar CoreX</source>
      <translation>天数智芯</translation>
    </message>
    <message>
      <source>MetaX</source>
      <translation>沐曦</translation>
    </message>
    <message>
      <source>Hygon DCU</source>
      <translation>海光 DCU</translation>
    </message>
    <message>
      <source>Biren</source>
      <translation>壁仞</translation>
    </message>
    <message>
      <source>Apple</source>
      <translation>苹果</translation>
    </message>
    <message>
      <source>graphics card</source>
      <translation>显卡</translation>
    </message>
    <message>
      <source>vendor</source>
      <translation>厂商</translation>
    </message>
  </context>
</TS>
