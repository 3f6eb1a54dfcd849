<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
  <name>problems</name>
  <message>
    <source>The NVIDIA management library (NVML) could not be read: {detail}</source>
    <translation>无法读取 NVIDIA 管理库(NVML):{detail}</translation>
  </message>
  <message>
    <source>RigPilot falls back to nvidia-smi. If both fail, reinstall the NVIDIA driver.</source>
    <translation>RigPilot 已改用 nvidia-smi。如果两者都失败,请重新安装 NVIDIA 驱动。</translation>
  </message>
  <message>
    <source>NVIDIA GPU {index} has fallen off the bus (NVML reports 'GPU is lost').</source>
    <translation>NVIDIA GPU {index} 已从总线上掉线(NVML 报告“GPU is lost”)。</translation>
  </message>
  <message>
    <source>Check the power cables and that the card is seated, then reboot; 'sudo dmesg | grep -i xid' shows the driver's error (Xid 79 means the GPU fell off the bus).</source>
    <translation>请检查供电线和显卡是否插牢,然后重启;'sudo dmesg | grep -i xid' 可查看驱动报错(Xid 79 表示 GPU 从总线上掉线)。</translation>
  </message>
</context>
<context>
  <name>nvidia</name>
  <message>
    <source>the NVIDIA card</source>
    <translation>NVIDIA 显卡</translation>
  </message>
  <message>
    <source>The power limit of GPU {gpu} could not be read back after the change.</source>
    <translation>修改后无法读回 GPU {gpu} 的功耗上限。</translation>
  </message>
  <message>
    <source>Check it with 'nvidia-smi -q -d power'.</source>
    <translation>请用 'nvidia-smi -q -d power' 查看。</translation>
  </message>
  <message>
    <source>The GPU is lost (fell off the bus); its power limit cannot be read.</source>
    <translation>GPU 已丢失(从总线上掉线),无法读取其功耗上限。</translation>
  </message>
  <message>
    <source>NVML could not read the power limits: {detail}</source>
    <translation>NVML 无法读取功耗上限:{detail}</translation>
  </message>
  <message>
    <source>Changing the power limit of GPU {gpu} needs administrator rights.</source>
    <translation>修改 GPU {gpu} 的功耗上限需要管理员权限。</translation>
  </message>
  <message>
    <source>Run the change through RigPilot's privileged helper (pkexec on Linux, UAC on Windows), or as root/administrator. Inside a container it also needs --cap-add=SYS_ADMIN.</source>
    <translation>请通过 RigPilot 的提权助手执行修改(Linux 上为 pkexec,Windows 上为 UAC),或以 root/管理员身份运行。在容器内还需要 --cap-add=SYS_ADMIN。</translation>
  </message>
  <message>
    <source>The driver does not let this card's power limit be changed (NVML: not supported).</source>
    <translation>驱动不允许修改这张卡的功耗上限(NVML:不支持)。</translation>
  </message>
  <message>
    <source>Many laptop GPUs manage their power themselves; there is nothing to set.</source>
    <translation>许多笔记本 GPU 自行管理功耗,无法手动设置。</translation>
  </message>
  <message>
    <source>{watts} W is outside the power range the driver allows for GPU {gpu}.</source>
    <translation>{watts} W 超出了驱动允许 GPU {gpu} 使用的功耗范围。</translation>
  </message>
  <message>
    <source>Run 'python main.py power show --gpu {gpu}' to see the allowed range.</source>
    <translation>运行 'python main.py power show --gpu {gpu}' 查看允许的范围。</translation>
  </message>
  <message>
    <source>Check the power cables and reboot.</source>
    <translation>请检查供电线并重启。</translation>
  </message>
  <message>
    <source>NVML refused the power limit: {detail}</source>
    <translation>NVML 拒绝了该功耗上限:{detail}</translation>
  </message>
  <message>
    <source>NVML (nvidia-ml-py) is not available, so RigPilot cannot change this card's power limit.</source>
    <translation>NVML(nvidia-ml-py)不可用,因此 RigPilot 无法修改这张卡的功耗上限。</translation>
  </message>
</context>
</TS>
