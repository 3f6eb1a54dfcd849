<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>telemetry</name>
  <message><source>The amdgpu driver exposes no power1_cap for this GPU (some APUs and virtual functions hide it).</source><translation>amdgpu 驱动没有为此 GPU 提供 power1_cap（部分 APU 和虚拟功能会隐藏它）。</translation></message>
  <message><source>Use the vendor's own tool, if it has one.</source><translation>如果厂商提供了自己的工具，请使用该工具。</translation></message>
  <message><source>Changing the power limit of GPU {gpu} needs administrator rights ({path}).</source><translation>修改 GPU {gpu} 的功耗上限需要管理员权限（{path}）。</translation></message>
  <message><source>Let RigPilot ask for your password (pkexec), or run: echo {microwatts} | sudo tee {path}</source><translation>让 RigPilot 请求您的密码（pkexec），或运行：echo {microwatts} | sudo tee {path}</translation></message>
  <message><source>The driver refused the power limit {watts} W for GPU {gpu}: {detail}</source><translation>驱动拒绝为 GPU {gpu} 设置 {watts} W 的功耗上限：{detail}</translation></message>
  <message><source>The card may be suspended, resetting, or a virtual function; check the allowed range with 'power show'.</source><translation>显卡可能处于休眠、正在重置或是虚拟功能；请用 'power show' 查看允许的范围。</translation></message>
  <message><source>The power limit of GPU {gpu} could not be read back after writing it.</source><translation>写入后无法读回 GPU {gpu} 的功耗上限。</translation></message>
  <message><source>Check the value with 'power show' before relying on it.</source><translation>在依赖该数值之前，请先用 'power show' 确认。</translation></message>
</context>
<context><name>problems</name>
  <message><source>Your user cannot open {device}; it belongs to group '{group}' and you are not a member.</source><translation>当前用户无法打开 {device}；它属于用户组 '{group}'，而您不在该组中。</translation></message>
  <message><source>Run 'sudo usermod -aG {group} $USER', then log out and in again.</source><translation>运行 'sudo usermod -aG {group} $USER'，然后注销并重新登录。</translation></message>
</context>
</TS>
