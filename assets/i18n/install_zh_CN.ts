<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>cli-install</name>
    <message>
      <source>Add --dry-run to see the plan; the executor that runs it comes next.</source>
      <translation>加上 --dry-run 查看计划；执行计划的安装器即将推出。</translation>
    </message>
    <message>
      <source>BLOCKED</source>
      <translation>受阻</translation>
    </message>
    <message>
      <source>Install plan for {app} in {dir} with profile {profile} ({os}): {status}</source>
      <translation>{app} 的安装计划，位置 {dir}，配置 {profile}（{os}）：{status}</translation>
    </message>
    <message>
      <source>Installing is not implemented yet; only the plan is.</source>
      <translation>安装尚未实现；目前只有计划。</translation>
    </message>
    <message>
      <source>Nothing was changed (dry run).</source>
      <translation>未做任何更改（演练）。</translation>
    </message>
    <message>
      <source>Unknown app {app}.</source>
      <translation>未知应用 {app}。</translation>
    </message>
    <message>
      <source>a folder of wheels to install from</source>
      <translation>用于安装的 wheel 文件夹</translation>
    </message>
    <message>
      <source>ask the index whether every pin has a file for this Python and platform</source>
      <translation>向索引确认每个固定版本都有适合此 Python 和平台的文件</translation>
    </message>
    <message>
      <source>build the matched torch stack and an app into its own environment (plan: --dry-run)</source>
      <translation>把匹配到的 torch 组合和应用装进独立环境（计划：--dry-run）</translation>
    </message>
    <message>
      <source>code: {code}</source>
      <translation>代码：{code}</translation>
    </message>
    <message>
      <source>constraints: {pins}</source>
      <translation>约束：{pins}</translation>
    </message>
    <message>
      <source>download mirror for the Python uv provisions</source>
      <translation>uv 下载 Python 时使用的镜像</translation>
    </message>
    <message>
      <source>download page: {url}</source>
      <translation>下载页面：{url}</translation>
    </message>
    <message>
      <source>download {what} from {source}{tail}</source>
      <translation>从 {source} 下载 {what}{tail}</translation>
    </message>
    <message>
      <source>force this hardware profile</source>
      <translation>强制使用此硬件配置</translation>
    </message>
    <message>
      <source>hint: {text}</source>
      <translation>提示：{text}</translation>
    </message>
    <message>
      <source>install command: {command}</source>
      <translation>安装命令：{command}</translation>
    </message>
    <message>
      <source>needs you</source>
      <translation>需要您操作</translation>
    </message>
    <message>
      <source>never let uv download a Python; stop when none is found</source>
      <translation>不让 uv 下载 Python；找不到时停止</translation>
    </message>
    <message>
      <source>note: {text}</source>
      <translation>说明：{text}</translation>
    </message>
    <message>
      <source>planned</source>
      <translation>已计划</translation>
    </message>
    <message>
      <source>print the plan as rigpilot.install-plan/1 JSON</source>
      <translation>以 rigpilot.install-plan/1 JSON 打印计划</translation>
    </message>
    <message>
      <source>print the plan, change nothing</source>
      <translation>打印计划，不做任何更改</translation>
    </message>
    <message>
      <source>skipped</source>
      <translation>跳过</translation>
    </message>
    <message>
      <source>sources: {sources}</source>
      <translation>来源：{sources}</translation>
    </message>
    <message>
      <source>the GPU to match (default: the best one)</source>
      <translation>要匹配的 GPU（默认：最好的一块）</translation>
    </message>
    <message>
      <source>the app from this release URL, folder or archive (default: the profile's pinned release)</source>
      <translation>从此发布地址、文件夹或压缩包获取应用（默认：配置中固定的版本）</translation>
    </message>
    <message>
      <source>the install folder</source>
      <translation>安装文件夹</translation>
    </message>
    <message>
      <source>the installer to run</source>
      <translation>使用的安装器</translation>
    </message>
    <message>
      <source>the torch wheel index to use instead of the profile's</source>
      <translation>代替配置中索引的 torch wheel 索引</translation>
    </message>
    <message>
      <source>use this interpreter for the environment</source>
      <translation>用此解释器创建环境</translation>
    </message>
    <message>
      <source>which app to install</source>
      <translation>要安装的应用</translation>
    </message>
    <message>
      <source>why: {text}</source>
      <translation>原因：{text}</translation>
    </message>
    <message>
      <source>writes {path}</source>
      <translation>写入 {path}</translation>
    </message>
    <message>
      <source>{mb} MB</source>
      <translation>{mb} MB</translation>
    </message>
  </context>
  <context>
    <name>install</name>
    <message>
      <source>Checked: every pin has a file for Python {python} on {os}.</source>
      <translation>已检查：每个固定版本都有适合 {os} 上 Python {python} 的文件。</translation>
    </message>
    <message>
      <source>Create the environment</source>
      <translation>创建环境</translation>
    </message>
    <message>
      <source>Download it from {page}, install it, then run Detect again.</source>
      <translation>从 {page} 下载并安装，然后重新检测。</translation>
    </message>
    <message>
      <source>Download mirror: {url}</source>
      <translation>下载镜像：{url}</translation>
    </message>
    <message>
      <source>Every installed distribution with its version, index or file and hash, to rebuild the same stack.</source>
      <translation>记录每个已安装的包及其版本、索引或文件和哈希，以便重建同样的组合。</translation>
    </message>
    <message>
      <source>Get the app: {app}</source>
      <translation>获取应用：{app}</translation>
    </message>
    <message>
      <source>Index replaced by your --index-url {url}.</source>
      <translation>索引已替换为您的 --index-url {url}。</translation>
    </message>
    <message>
      <source>Install Python {version} (64-bit) from {url}, or allow uv to provision it, then plan again.</source>
      <translation>从 {url} 安装 Python {version}（64 位），或允许 uv 提供，然后重新生成计划。</translation>
    </message>
    <message>
      <source>Install the GPU driver / toolkit ({needs})</source>
      <translation>安装 GPU 驱动 / 工具包（{needs}）</translation>
    </message>
    <message>
      <source>Install the app's requirements under the torch pins</source>
      <translation>在 torch 固定版本的约束下安装应用依赖</translation>
    </message>
    <message>
      <source>Install the driver from the vendor's page, then run Detect again.</source>
      <translation>从厂商页面安装驱动，然后重新检测。</translation>
    </message>
    <message>
      <source>Install the profile's extras</source>
      <translation>安装配置的附加包</translation>
    </message>
    <message>
      <source>Install the torch stack</source>
      <translation>安装 torch 组合</translation>
    </message>
    <message>
      <source>No Python {version} was found; uv downloads one.</source>
      <translation>未找到 Python {version}；由 uv 下载。</translation>
    </message>
    <message>
      <source>No download page is known for this vendor and OS.</source>
      <translation>不知道此厂商和操作系统的下载页面。</translation>
    </message>
    <message>
      <source>No index serves {packages}: download their wheels for Python {python} from {url} into a folder and pass --wheelhouse DIR.</source>
      <translation>没有索引提供 {packages}：从 {url} 下载适合 Python {python} 的 wheel 到一个文件夹，并用 --wheelhouse DIR 指定。</translation>
    </message>
    <message>
      <source>Pass --app-source with the app's folder, archive or release URL.</source>
      <translation>用 --app-source 指定应用的文件夹、压缩包或发布地址。</translation>
    </message>
    <message>
      <source>Pass --python with the interpreter to use.</source>
      <translation>用 --python 指定要使用的解释器。</translation>
    </message>
    <message>
      <source>Pinned by profile {id} on top of torch.</source>
      <translation>由配置 {id} 在 torch 之上固定。</translation>
    </message>
    <message>
      <source>Profile {id} needs Python {version}.</source>
      <translation>配置 {id} 需要 Python {version}。</translation>
    </message>
    <message>
      <source>Profile {id} pins no torch build; choose another profile with --profile.</source>
      <translation>配置 {id} 没有固定 torch 版本；请用 --profile 选择其他配置。</translation>
    </message>
    <message>
      <source>Python {version} interpreter</source>
      <translation>Python {version} 解释器</translation>
    </message>
    <message>
      <source>RigPilot does not install drivers; the environment can be built before it.</source>
      <translation>RigPilot 不安装驱动；环境可以在驱动装好之前先建好。</translation>
    </message>
    <message>
      <source>The app gets its own environment, separate from every other Python.</source>
      <translation>应用使用独立环境，与其他 Python 互不影响。</translation>
    </message>
    <message>
      <source>The app profile names no release to download.</source>
      <translation>应用配置没有指定可下载的版本。</translation>
    </message>
    <message>
      <source>The app profile names no requirements file.</source>
      <translation>应用配置没有指定依赖文件。</translation>
    </message>
    <message>
      <source>The constraints file pins every package of the torch stack to the profile's exact versions, so no requirement can replace them.</source>
      <translation>约束文件把 torch 组合的每个包固定为配置的精确版本，任何依赖都无法替换它们。</translation>
    </message>
    <message>
      <source>The exact pins of profile {id}.</source>
      <translation>配置 {id} 的精确固定版本。</translation>
    </message>
    <message>
      <source>The generic app is your own script: nothing to download.</source>
      <translation>通用应用是您自己的脚本：无需下载。</translation>
    </message>
    <message>
      <source>The index check is not available in this version; nothing was checked.</source>
      <translation>此版本还没有索引检查；未检查任何内容。</translation>
    </message>
    <message>
      <source>The launcher imports {module} before the app.</source>
      <translation>启动脚本在应用之前导入 {module}。</translation>
    </message>
    <message>
      <source>The pinned, known-good release {version} named in the app profile.</source>
      <translation>应用配置中固定的、已知可用的版本 {version}。</translation>
    </message>
    <message>
      <source>The probe found no working driver for {gpu}.</source>
      <translation>检测没有找到 {gpu} 可用的驱动。</translation>
    </message>
    <message>
      <source>The probe reports: {message}</source>
      <translation>检测报告：{message}</translation>
    </message>
    <message>
      <source>The profile has no extras.</source>
      <translation>配置没有附加包。</translation>
    </message>
    <message>
      <source>The runtime probe in the new environment must show the profile's torch build and the GPU.</source>
      <translation>新环境中的运行时检测必须显示配置的 torch 版本和 GPU。</translation>
    </message>
    <message>
      <source>The source you gave: {source}</source>
      <translation>您指定的来源：{source}</translation>
    </message>
    <message>
      <source>Uses the interpreter the probe found: {path}</source>
      <translation>使用检测到的解释器：{path}</translation>
    </message>
    <message>
      <source>Uses the interpreter you gave: {path}</source>
      <translation>使用您指定的解释器：{path}</translation>
    </message>
    <message>
      <source>Uses your folder as it is: {path}</source>
      <translation>直接使用您的文件夹：{path}</translation>
    </message>
    <message>
      <source>Verify the environment</source>
      <translation>验证环境</translation>
    </message>
    <message>
      <source>With the profile's environment and the app's flags.</source>
      <translation>带有配置的环境变量和应用参数。</translation>
    </message>
    <message>
      <source>Write the launch script</source>
      <translation>写入启动脚本</translation>
    </message>
    <message>
      <source>Write the lock file</source>
      <translation>写入锁定文件</translation>
    </message>
    <message>
      <source>{package}: skipped, the profile pins no build of it for torch {torch}; left out of the requirements so it cannot pull in another torch.</source>
      <translation>{package}：跳过，配置没有为 torch {torch} 固定它的版本；已从依赖中移除，以免它拉入另一个 torch。</translation>
    </message>
  </context>
</TS>
