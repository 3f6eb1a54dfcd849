<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>problems</name>
  <message><source>DirectML needs Windows 10 version 1903 (build 18362) or newer; this is build {build}.</source><translation>DirectML 需要 Windows 10 1903 版（内部版本 18362）或更新版本；当前为内部版本 {build}。</translation></message>
  <message><source>Update Windows, then re-scan. Until then {name} can only be used through the CPU.</source><translation>请更新 Windows 后重新扫描。在此之前，{name} 只能通过 CPU 使用。</translation></message>
  <message><source>torch {torch} in {python} has no compiled kernels for {gpu_name} ({arch}); it will JIT-compile the included PTX ({ptx}) on first use.</source><translation>{python} 中的 torch {torch} 没有为 {gpu_name}（{arch}）编译的内核；首次使用时会即时编译其中附带的 PTX（{ptx}）。</translation></message>
  <message><source>It works, but the first run of every kernel is slow and the JIT cache can grow large. A torch build whose arch list includes {arch} avoids this (see the Match page).</source><translation>可以运行，但每个内核第一次运行都很慢，JIT 缓存也可能变得很大。使用架构列表包含 {arch} 的 torch 版本可避免此问题（见“匹配”页面）。</translation></message>
  <message><source>torch {torch} in {python} is a {api} build but cannot use {gpu_name}: {detail}</source><translation>{python} 中的 torch {torch} 是 {api} 版本，但无法使用 {gpu_name}：{detail}</translation></message>
  <message><source>Check that the driver works (re-scan) and that it is new enough for this torch build; the Match page shows the build that fits your driver.</source><translation>请检查驱动是否正常工作（重新扫描），以及驱动版本是否足以支持这个 torch 版本；“匹配”页面会显示适合您驱动的版本。</translation></message>
  <message><source>Windows reports a problem with {name}: Device Manager code {error_code} ({meaning}).</source><translation>Windows 报告 {name} 有问题：设备管理器代码 {error_code}（{meaning}）。</translation></message>
  <message><source>Open Device Manager to see the details. Reinstalling the {vendor_label} driver (a clean install) and rebooting fixes most of these; if it persists, try another PCIe slot and check the power cables.</source><translation>请打开设备管理器查看详情。重新安装 {vendor_label} 驱动（干净安装）并重启通常可以解决；如果仍然存在，请换一个 PCIe 插槽并检查供电线。</translation></message>
  <message><source>the device cannot start</source><translation>该设备无法启动</translation></message>
  <message><source>the device is disabled</source><translation>该设备已被禁用</translation></message>
  <message><source>Windows cannot load the drivers it needs</source><translation>Windows 无法加载它所需的驱动程序</translation></message>
  <message><source>Windows stopped the device because it reported problems</source><translation>设备报告了问题，Windows 已将其停止</translation></message>
  <message><source>the driver's digital signature cannot be verified</source><translation>无法验证驱动程序的数字签名</translation></message>
  <message><source>see Device Manager</source><translation>请在设备管理器中查看</translation></message>
</context>
</TS>
