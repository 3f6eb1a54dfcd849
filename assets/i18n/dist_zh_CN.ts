<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>dist</name>
    <message>
      <source>Download Python itself from:</source>
      <translation>Python 本身的下载来源：</translation>
    </message>
    <message>
      <source>Download the Python packages from:</source>
      <translation>Python 软件包的下载来源：</translation>
    </message>
    <message>
      <source>GPU setup assistant</source>
      <translation>显卡配置助手</translation>
    </message>
    <message>
      <source>Get local image generation running well on the GPU you own</source>
      <translation>让本地图像生成在你自己的显卡上顺畅运行</translation>
    </message>
    <message>
      <source>Is this computer connected to the Internet? A mirror closer to you often helps. What the downloader said is above; the steps are logged in this file:</source>
      <translation>这台电脑连上互联网了吗？换一个离您更近的镜像通常会有帮助。下载程序的输出见上方；各步骤记录在这个文件中：</translation>
    </message>
    <message>
      <source>Number, then Enter</source>
      <translation>输入编号后按回车</translation>
    </message>
    <message>
      <source>Python could not be downloaded from this address:</source>
      <translation>无法从以下地址下载 Python：</translation>
    </message>
    <message>
      <source>R = try again, M = choose other download sources, Q = quit</source>
      <translation>R = 重试，M = 选择其他下载来源，Q = 退出</translation>
    </message>
    <message>
      <source>Ready. Later starts skip this step. Starting RigPilot ...</source>
      <translation>准备完毕，以后启动会跳过这一步。正在启动 RigPilot ……</translation>
    </message>
    <message>
      <source>RigPilot needs its own Python and a few packages (about 150 MB, downloaded once). Choose where to download them from; Enter takes the first choice.</source>
      <translation>RigPilot 需要自己的 Python 和几个软件包（约 150 MB，只下载一次）。请选择下载来源；直接按回车即选第一项。</translation>
    </message>
    <message>
      <source>RigPilot was not started. Start it again from the Start menu to continue.</source>
      <translation>RigPilot 未启动。从开始菜单再次启动即可继续。</translation>
    </message>
    <message>
      <source>RigPilot was removed; your data folder {path} was kept.</source>
      <translation>RigPilot 已卸载；数据文件夹 {path} 已保留。</translation>
    </message>
    <message>
      <source>RigPilot {version} is installed in {path}.</source>
      <translation>RigPilot {version} 已安装到 {path}。</translation>
    </message>
    <message>
      <source>RigPilot {version}: first start</source>
      <translation>RigPilot {version}：首次启动</translation>
    </message>
    <message>
      <source>RigPilot's environment could not be created in this folder:</source>
      <translation>无法在以下文件夹中创建 RigPilot 的运行环境：</translation>
    </message>
    <message>
      <source>RigPilot's packages could not be downloaded or installed from this address:</source>
      <translation>无法从以下地址下载或安装 RigPilot 的软件包：</translation>
    </message>
    <message>
      <source>Start it from the application menu, or with: {command}</source>
      <translation>从应用程序菜单启动，或运行：{command}</translation>
    </message>
    <message>
      <source>Step 1 of 3: getting Python {python} ...</source>
      <translation>第 1 步（共 3 步）：获取 Python {python} ……</translation>
    </message>
    <message>
      <source>Step 2 of 3: creating RigPilot's environment ...</source>
      <translation>第 2 步（共 3 步）：创建 RigPilot 的运行环境 ……</translation>
    </message>
    <message>
      <source>Step 3 of 3: installing RigPilot's packages ...</source>
      <translation>第 3 步（共 3 步）：安装 RigPilot 的软件包 ……</translation>
    </message>
    <message>
      <source>This RigPilot installation is incomplete (a file is missing). Run the setup program again.</source>
      <translation>这个 RigPilot 安装不完整（缺少文件）。请重新运行安装程序。</translation>
    </message>
    <message>
      <source>To remove it (your data folder stays): {command}</source>
      <translation>卸载（数据文件夹会保留）：{command}</translation>
    </message>
    <message>
      <source>install.sh must stay in the unpacked RigPilot folder (next to the RigPilot program).</source>
      <translation>install.sh 必须留在解压后的 RigPilot 文件夹中（与 RigPilot 程序放在一起）。</translation>
    </message>
  </context>
</TS>
