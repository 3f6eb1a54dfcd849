<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>InstallPage</name>
    <message>
      <source>App</source>
      <translation>应用</translation>
    </message>
    <message>
      <source>BLOCKED</source>
      <translation>受阻</translation>
    </message>
    <message>
      <source>Blocked at “{step}” [{code}]: {hint}</source>
      <translation>在“{step}”处受阻 [{code}]：{hint}</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelling… stopping the running command.</source>
      <translation>正在取消…正在停止运行中的命令。</translation>
    </message>
    <message>
      <source>China mainland</source>
      <translation>中国大陆</translation>
    </message>
    <message>
      <source>Choices</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>Choose a folder</source>
      <translation>选择文件夹</translation>
    </message>
    <message>
      <source>Choose the install folder.</source>
      <translation>请选择安装文件夹。</translation>
    </message>
    <message>
      <source>Code: {code}</source>
      <translation>代码：{code}</translation>
    </message>
    <message>
      <source>Default (no mirror)</source>
      <translation>默认（不用镜像）</translation>
    </message>
    <message>
      <source>Download page:</source>
      <translation>下载页面：</translation>
    </message>
    <message>
      <source>Download {what} from {source}{file}</source>
      <translation>从 {source} 下载 {what}{file}</translation>
    </message>
    <message>
      <source>Driver download page</source>
      <translation>驱动下载页面</translation>
    </message>
    <message>
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <source>GitHub downloads</source>
      <translation>GitHub 下载</translation>
    </message>
    <message>
      <source>Here: choose that folder under “Wheelhouse folder”.</source>
      <translation>在本页：在“本地 wheel 文件夹”中选择该文件夹。</translation>
    </message>
    <message>
      <source>In China mainland a mirror is usually much faster than the default download sites.</source>
      <translation>在中国大陆，镜像通常比默认下载站点快得多。</translation>
    </message>
    <message>
      <source>Install</source>
      <translation>安装</translation>
    </message>
    <message>
      <source>Install folder</source>
      <translation>安装文件夹</translation>
    </message>
    <message>
      <source>Installed</source>
      <translation>已安装</translation>
    </message>
    <message>
      <source>Installed in {dir} ({seconds} s).</source>
      <translation>已安装到 {dir}（{seconds} 秒）。</translation>
    </message>
    <message>
      <source>Installed in {dir}.</source>
      <translation>已安装到 {dir}。</translation>
    </message>
    <message>
      <source>Installer</source>
      <translation>安装工具</translation>
    </message>
    <message>
      <source>Installing… the Cancel button stops it and removes what it built.</source>
      <translation>正在安装…“取消”按钮会停止安装并删除已建好的部分。</translation>
    </message>
    <message>
      <source>Its launch script: {path}</source>
      <translation>它的启动脚本：{path}</translation>
    </message>
    <message>
      <source>Launch script: {path}</source>
      <translation>启动脚本：{path}</translation>
    </message>
    <message>
      <source>Lock: {path}</source>
      <translation>锁定文件：{path}</translation>
    </message>
    <message>
      <source>Log: {path}</source>
      <translation>日志：{path}</translation>
    </message>
    <message>
      <source>No launch script (the generic app is your own script).</source>
      <translation>没有启动脚本（通用应用就是你自己的脚本）。</translation>
    </message>
    <message>
      <source>No plan yet.</source>
      <translation>还没有计划。</translation>
    </message>
    <message>
      <source>No plan yet: run Detect first.</source>
      <translation>还没有计划：请先运行“检测”。</translation>
    </message>
    <message>
      <source>Nothing was switched; the previous environment (if any) is still current.</source>
      <translation>没有切换任何东西；之前的环境（如果有）仍是当前环境。</translation>
    </message>
    <message>
      <source>Package index</source>
      <translation>软件包索引</translation>
    </message>
    <message>
      <source>Plan</source>
      <translation>计划</translation>
    </message>
    <message>
      <source>Plan for profile {id} ({confidence}), {source}: Python {python}, {packages}.</source>
      <translation>配置 {id}（{confidence}）的计划，{source}：Python {python}，{packages}。</translation>
    </message>
    <message>
      <source>Profile</source>
      <translation>配置</translation>
    </message>
    <message>
      <source>Progress</source>
      <translation>进度</translation>
    </message>
    <message>
      <source>PyTorch index</source>
      <translation>PyTorch 索引</translation>
    </message>
    <message>
      <source>Python downloads</source>
      <translation>Python 下载</translation>
    </message>
    <message>
      <source>Python: {path}</source>
      <translation>Python 解释器：{path}</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Repair</source>
      <translation>修复</translation>
    </message>
    <message>
      <source>Repair finished.</source>
      <translation>修复完成。</translation>
    </message>
    <message>
      <source>Repair reinstalls the locked torch stack when something replaced it; Roll back makes the previous environment current again.</source>
      <translation>修复：torch 组件被替换时，按锁定文件重新安装；回滚：让上一个环境重新成为当前环境。</translation>
    </message>
    <message>
      <source>Repaired {name}: {got} → {want}</source>
      <translation>已修复 {name}：从 {got} 变为 {want}</translation>
    </message>
    <message>
      <source>Repairing {dir}…</source>
      <translation>正在修复 {dir}…</translation>
    </message>
    <message>
      <source>Roll back</source>
      <translation>回滚</translation>
    </message>
    <message>
      <source>Rolled back: envs/{id} is current again.</source>
      <translation>已回滚：envs/{id} 重新成为当前环境。</translation>
    </message>
    <message>
      <source>Rolling back {dir}…</source>
      <translation>正在回滚 {dir}…</translation>
    </message>
    <message>
      <source>Run Detect first.</source>
      <translation>请先运行“检测”。</translation>
    </message>
    <message>
      <source>Run Detect first: the plan is made for the machine it found.</source>
      <translation>请先运行“检测”：计划是针对检测到的机器制定的。</translation>
    </message>
    <message>
      <source>SIMULATED rig: {name}</source>
      <translation>模拟机器：{name}</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Step {index} of {count}: {title} — {status}</source>
      <translation>第 {index} 步，共 {count} 步：{title} — {status}</translation>
    </message>
    <message>
      <source>The Launch and Verify pages now use this environment.</source>
      <translation>“启动”和“验证”页现在使用这个环境。</translation>
    </message>
    <message>
      <source>The driver is yours to install; the environment is built before it.</source>
      <translation>驱动需要你自己安装；环境可以先建好。</translation>
    </message>
    <message>
      <source>The environment is kept for inspection: {env}</source>
      <translation>该环境已保留以便检查：{env}</translation>
    </message>
    <message>
      <source>The install failed.</source>
      <translation>安装失败。</translation>
    </message>
    <message>
      <source>The install was cancelled.</source>
      <translation>安装已取消。</translation>
    </message>
    <message>
      <source>The new environment failed verification.</source>
      <translation>新环境未通过验证。</translation>
    </message>
    <message>
      <source>The torch stack matches the lock; nothing to repair.</source>
      <translation>torch 组件与锁定文件一致，无需修复。</translation>
    </message>
    <message>
      <source>This is the plan for the simulated rig {name}: RigPilot installs only on this machine.</source>
      <translation>这是模拟机器 {name} 的计划：RigPilot 只在本机上安装。</translation>
    </message>
    <message>
      <source>This profile's torch index is not download.pytorch.org: no mirror applies.</source>
      <translation>此配置的 torch 索引不是 download.pytorch.org：没有适用的镜像。</translation>
    </message>
    <message>
      <source>What the install does appears here, line by line.</source>
      <translation>安装过程的输出会逐行显示在这里。</translation>
    </message>
    <message>
      <source>What to do: {hint}</source>
      <translation>处理办法：{hint}</translation>
    </message>
    <message>
      <source>Wheelhouse folder</source>
      <translation>本地 wheel 文件夹</translation>
    </message>
    <message>
      <source>Why: {text}</source>
      <translation>原因：{text}</translation>
    </message>
    <message>
      <source>cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>chosen on the Match page</source>
      <translation>在“匹配”页选定</translation>
    </message>
    <message>
      <source>community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>done</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>folder missing</source>
      <translation>文件夹不存在</translation>
    </message>
    <message>
      <source>global</source>
      <translation>全球</translation>
    </message>
    <message>
      <source>matched automatically</source>
      <translation>自动匹配</translation>
    </message>
    <message>
      <source>needs you</source>
      <translation>需要你处理</translation>
    </message>
    <message>
      <source>official</source>
      <translation>官方</translation>
    </message>
    <message>
      <source>ok</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>optional: a folder of wheels to install from</source>
      <translation>可选：从中安装的 wheel 文件所在文件夹</translation>
    </message>
    <message>
      <source>or type the URL of another index</source>
      <translation>或输入其他索引的网址</translation>
    </message>
    <message>
      <source>planned</source>
      <translation>计划中</translation>
    </message>
    <message>
      <source>previous: {env}</source>
      <translation>上一个环境：{env}</translation>
    </message>
    <message>
      <source>running</source>
      <translation>进行中</translation>
    </message>
    <message>
      <source>size unknown</source>
      <translation>大小未知</translation>
    </message>
    <message>
      <source>skipped</source>
      <translation>跳过</translation>
    </message>
    <message>
      <source>state file damaged</source>
      <translation>状态文件已损坏</translation>
    </message>
    <message>
      <source>torch</source>
      <translation>torch 版本</translation>
    </message>
    <message>
      <source>unverified</source>
      <translation>未验证</translation>
    </message>
    <message>
      <source>{file}: {done} MB</source>
      <translation>{file}：已下载 {done} MB</translation>
    </message>
    <message>
      <source>{file}: {done} of {total} MB</source>
      <translation>{file}：已下载 {done} / {total} MB</translation>
    </message>
    <message>
      <source>{name}: {was} → {now}</source>
      <translation>{name}：从 {was} 变为 {now}</translation>
    </message>
  </context>
  <context>
    <name>InstalledEnvs</name>
    <message>
      <source>Choose an installed environment…</source>
      <translation>选择一个已安装的环境…</translation>
    </message>
    <message>
      <source>No installs yet (Install step)</source>
      <translation>还没有安装（见“安装”步骤）</translation>
    </message>
    <message>
      <source>folder missing</source>
      <translation>文件夹不存在</translation>
    </message>
    <message>
      <source>state file damaged</source>
      <translation>状态文件已损坏</translation>
    </message>
    <message>
      <source>{app} in {dir} (torch {torch})</source>
      <translation>{app}，位于 {dir}（torch {torch}）</translation>
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <source>start the page's action once the scan is done (Verify: the smoke test; Install: the install with the page's choices)</source>
      <translation>扫描完成后启动该页面的操作（验证：冒烟测试；安装：按页面上的选项安装）</translation>
    </message>
    <message>
      <source>with --screenshot --run: take the shot while the action runs, --wait S after it started</source>
      <translation>与 --screenshot --run 一起使用：在操作进行中截图，即操作开始 --wait S 秒之后</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <source>--running only works with --screenshot and --run.</source>
      <translation>--running 只能与 --screenshot 和 --run 一起使用。</translation>
    </message>
    <message>
      <source>Add --screenshot FILE.png --run, and --wait S for how long it runs first.</source>
      <translation>请加上 --screenshot FILE.png --run，并用 --wait S 指定先运行多久。</translation>
    </message>
  </context>
</TS>
