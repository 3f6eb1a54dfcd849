<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>cli-install</name>
    <message>
      <source>For example: install --app comfyui --dir ~/rigpilot/comfyui</source>
      <translation>例如：install --app comfyui --dir ~/rigpilot/comfyui</translation>
    </message>
    <message>
      <source>Install {status}: [{code}] {message}</source>
      <translation>安装结果 {status}：[{code}] {message}</translation>
    </message>
    <message>
      <source>Installed in {dir} ({seconds} s).</source>
      <translation>已安装到 {dir}（用时 {seconds} 秒）。</translation>
    </message>
    <message>
      <source>JSON: the plan (with --dry-run), else progress events as JSON lines and a result</source>
      <translation>JSON：配合 --dry-run 输出计划，否则逐行输出进度事件和最终结果</translation>
    </message>
    <message>
      <source>Known mirrors: {names}</source>
      <translation>已知镜像：{names}</translation>
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
      <source>Mirror {name} mirrors download.pytorch.org; this profile's index is {index}.</source>
      <translation>镜像 {name} 镜像的是 download.pytorch.org；此配置使用的索引是 {index}。</translation>
    </message>
    <message>
      <source>Nothing was switched; the previous environment (if any) is current.</source>
      <translation>没有切换任何东西；之前的环境（如有）仍是当前环境。</translation>
    </message>
    <message>
      <source>Python: {path}</source>
      <translation>Python：{path}</translation>
    </message>
    <message>
      <source>Repaired {name}: {got} -&gt; {want}</source>
      <translation>已修复 {name}：{got} -&gt; {want}</translation>
    </message>
    <message>
      <source>Rolled back: envs/{id} is current again.</source>
      <translation>已回滚：envs/{id} 重新成为当前环境。</translation>
    </message>
    <message>
      <source>Smoke test on {device}: {verdict} {codes}</source>
      <translation>在 {device} 上的冒烟测试：{verdict} {codes}</translation>
    </message>
    <message>
      <source>Start it with: {script}</source>
      <translation>启动方式：{script}</translation>
    </message>
    <message>
      <source>The failed environment's launch script: {script}</source>
      <translation>未通过验证的环境的启动脚本：{script}</translation>
    </message>
    <message>
      <source>The torch stack matches the lock; nothing to repair.</source>
      <translation>torch 组件与锁定文件一致，无需修复。</translation>
    </message>
    <message>
      <source>Unknown mirror {name}.</source>
      <translation>未知的镜像 {name}。</translation>
    </message>
    <message>
      <source>Use --index-url to point at a mirror of that index instead.</source>
      <translation>请改用 --index-url 指向该索引的镜像。</translation>
    </message>
    <message>
      <source>build the matched torch stack and an app into its own environment</source>
      <translation>把匹配到的 torch 组件和应用安装到独立的环境中</translation>
    </message>
    <message>
      <source>install needs --app and --dir (or --repair DIR / --rollback DIR).</source>
      <translation>install 需要 --app 和 --dir（或 --repair DIR / --rollback DIR）。</translation>
    </message>
    <message>
      <source>make the previous environment of the install in DIR current again</source>
      <translation>让 DIR 中安装的上一个环境重新成为当前环境</translation>
    </message>
    <message>
      <source>reinstall the locked torch stack of the install in DIR if it changed</source>
      <translation>若 DIR 中安装的 torch 组件被改动，按锁定文件重新安装</translation>
    </message>
    <message>
      <source>run the smoke test in the new environment before switching to it</source>
      <translation>切换到新环境之前，先在其中运行冒烟测试</translation>
    </message>
    <message>
      <source>the package index for everything but the torch stack (default: PyPI)</source>
      <translation>除 torch 组件外其他软件包使用的索引（默认：PyPI）</translation>
    </message>
    <message>
      <source>use this download mirror (repeatable; see installs mirrors)</source>
      <translation>使用此下载镜像（可重复指定；列表见 installs mirrors）</translation>
    </message>
    <message>
      <source>{name}: {was} -&gt; {now}</source>
      <translation>{name}：{was} -&gt; {now}</translation>
    </message>
  </context>
  <context>
    <name>cli-installs</name>
    <message>
      <source>MISSING</source>
      <translation>缺失</translation>
    </message>
    <message>
      <source>No installs yet. Make one with: python main.py install --app comfyui --dir DIR</source>
      <translation>还没有安装。可以这样创建：python main.py install --app comfyui --dir DIR</translation>
    </message>
    <message>
      <source>app {app}, profile {profile}, torch {torch}</source>
      <translation>应用 {app}，配置 {profile}，torch {torch}</translation>
    </message>
    <message>
      <source>damaged</source>
      <translation>已损坏</translation>
    </message>
    <message>
      <source>list the installs RigPilot made, or the download mirrors</source>
      <translation>列出 RigPilot 完成的安装，或可用的下载镜像</translation>
    </message>
    <message>
      <source>present</source>
      <translation>存在</translation>
    </message>
    <message>
      <source>previous environment: {id} (install --rollback DIR)</source>
      <translation>上一个环境：{id}（install --rollback DIR）</translation>
    </message>
    <message>
      <source>print JSON</source>
      <translation>输出 JSON</translation>
    </message>
    <message>
      <source>python: {path}</source>
      <translation>python：{path}</translation>
    </message>
    <message>
      <source>start: {path}</source>
      <translation>启动：{path}</translation>
    </message>
    <message>
      <source>what to show</source>
      <translation>要显示的内容</translation>
    </message>
  </context>
  <context>
    <name>execute</name>
    <message>
      <source>A requirement forces another build; remove it from the requirements or choose another profile.</source>
      <translation>某个依赖强制要求另一个版本；请从依赖列表中删除它，或选择其他配置。</translation>
    </message>
    <message>
      <source>A requirement is not on the package index: check its name, or choose another index or mirror (--pypi-url, --mirror).</source>
      <translation>软件包索引上没有某个依赖：请检查其名称，或选择其他索引或镜像（--pypi-url、--mirror）。</translation>
    </message>
    <message>
      <source>A requirement needs another version of a pinned package; the pins win. Remove or pin the requirement that conflicts (named above), or choose another profile.</source>
      <translation>某个依赖需要已锁定软件包的其他版本；以锁定版本为准。请删除或锁定引起冲突的依赖（见上方），或选择其他配置。</translation>
    </message>
    <message>
      <source>A slow or stalled download is the usual cause: choose a closer mirror, then run it again.</source>
      <translation>通常是下载缓慢或停滞：请选择更近的镜像，然后重新运行。</translation>
    </message>
    <message>
      <source>Another install is running in {folder} (process {pid}).</source>
      <translation>{folder} 中正在进行另一个安装（进程 {pid}）。</translation>
    </message>
    <message>
      <source>Check that the folder is writable and the disk is not full, then run it again.</source>
      <translation>请确认该文件夹可写且磁盘未满，然后重新运行。</translation>
    </message>
    <message>
      <source>Check the app source: it should hold {name}.</source>
      <translation>请检查应用来源：其中应包含 {name}。</translation>
    </message>
    <message>
      <source>Check the network or choose a mirror (install --mirror NAME), then run it again; files already downloaded are kept.</source>
      <translation>请检查网络或选择镜像（install --mirror 名称），然后重新运行；已下载的文件会保留。</translation>
    </message>
    <message>
      <source>Check the network or the wheels folder, then run the repair again.</source>
      <translation>请检查网络或 wheels 文件夹，然后重新修复。</translation>
    </message>
    <message>
      <source>Check the path, or choose the other installer (--executor pip or uv).</source>
      <translation>请检查路径，或换用另一个安装器（--executor pip 或 uv）。</translation>
    </message>
    <message>
      <source>Check the pins and the disk</source>
      <translation>检查版本锁定和磁盘空间</translation>
    </message>
    <message>
      <source>Cleaned up after an interrupted install: {what}</source>
      <translation>已清理上次中断的安装：{what}</translation>
    </message>
    <message>
      <source>Download it again (the file may be incomplete).</source>
      <translation>请重新下载（文件可能不完整）。</translation>
    </message>
    <message>
      <source>Download {expected} from {page} into {folder}, then run it again.</source>
      <translation>请从 {page} 下载 {expected} 到 {folder}，然后重新运行。</translation>
    </message>
    <message>
      <source>Downloading {file}</source>
      <translation>正在下载 {file}</translation>
    </message>
    <message>
      <source>Downloading {url} failed: {detail}</source>
      <translation>下载 {url} 失败：{detail}</translation>
    </message>
    <message>
      <source>Free some space (or choose a folder on another disk) and run it again; the previous environment is unchanged.</source>
      <translation>请清理空间（或选择另一块磁盘上的文件夹）后重新运行；之前的环境没有改变。</translation>
    </message>
    <message>
      <source>Free some space or choose a folder on another disk.</source>
      <translation>请清理一些空间，或选择另一块磁盘上的文件夹。</translation>
    </message>
    <message>
      <source>Install Python {version} (64-bit) from https://www.python.org/downloads/ or allow uv to download it, then run it again.</source>
      <translation>请从 https://www.python.org/downloads/ 安装 Python {version}（64 位），或允许 uv 下载它，然后重新运行。</translation>
    </message>
    <message>
      <source>Move the file aside and run the install again; the environments in envs/ are kept.</source>
      <translation>请把该文件移走后重新安装；envs/ 中的环境会保留。</translation>
    </message>
    <message>
      <source>No Python {version} was found on this machine.</source>
      <translation>本机上没有找到 Python {version}。</translation>
    </message>
    <message>
      <source>Nothing was switched. The environment that failed verification is kept for inspection in {env}.</source>
      <translation>没有切换任何东西。未通过验证的环境保留在 {env}，供检查。</translation>
    </message>
    <message>
      <source>Nothing was switched: the previous environment is unchanged. Run it again to retry.</source>
      <translation>没有切换任何东西：之前的环境未改变。重新运行即可再试。</translation>
    </message>
    <message>
      <source>Only an install that replaced another one can be rolled back.</source>
      <translation>只有替换过旧环境的安装才能回滚。</translation>
    </message>
    <message>
      <source>Pass the app's release archive (.tar.gz or .zip), a folder, or a URL.</source>
      <translation>请给出应用的发布压缩包（.tar.gz 或 .zip）、文件夹或网址。</translation>
    </message>
    <message>
      <source>Pass the folder given to install --dir (installs list shows them).</source>
      <translation>请给出当初传给 install --dir 的文件夹（installs list 可列出它们）。</translation>
    </message>
    <message>
      <source>Pass the folder that holds the app (its main.py), or a release archive or URL.</source>
      <translation>请给出包含应用（其 main.py）的文件夹，或发布压缩包、网址。</translation>
    </message>
    <message>
      <source>Read the log (the last lines are above); fix what it names and run the install again.</source>
      <translation>请查看日志（最后几行见上方），解决其中指出的问题后重新安装。</translation>
    </message>
    <message>
      <source>Read the log of the torch step; run the install again.</source>
      <translation>请查看 torch 步骤的日志，然后重新安装。</translation>
    </message>
    <message>
      <source>Read the log; on Ubuntu install python3-venv for the chosen Python.</source>
      <translation>请查看日志；在 Ubuntu 上需为所选 Python 安装 python3-venv。</translation>
    </message>
    <message>
      <source>Read the log; run the install again.</source>
      <translation>请查看日志，然后重新安装。</translation>
    </message>
    <message>
      <source>Read the smoke test's report above.</source>
      <translation>请查看上方的冒烟测试报告。</translation>
    </message>
    <message>
      <source>Reinstalling the locked torch stack failed: {tail}</source>
      <translation>重新安装锁定的 torch 组件失败：{tail}</translation>
    </message>
    <message>
      <source>Run the install again to build a new environment.</source>
      <translation>请重新安装以构建新环境。</translation>
    </message>
    <message>
      <source>Run the install again to build a new one.</source>
      <translation>请重新安装以构建新环境。</translation>
    </message>
    <message>
      <source>Run the install again: it writes a new lock.</source>
      <translation>请重新安装：会写入新的锁定文件。</translation>
    </message>
    <message>
      <source>Step {step} failed (exit code {rc}): {tail}</source>
      <translation>步骤 {step} 失败（退出码 {rc}）：{tail}</translation>
    </message>
    <message>
      <source>The app folder {path} does not exist.</source>
      <translation>应用文件夹 {path} 不存在。</translation>
    </message>
    <message>
      <source>The app's requirements replaced {name} {want} with {got}.</source>
      <translation>应用的依赖把 {name} {want} 替换成了 {got}。</translation>
    </message>
    <message>
      <source>The disk holding {folder} is full.</source>
      <translation>{folder} 所在的磁盘已满。</translation>
    </message>
    <message>
      <source>The environment was created but {python} is not there.</source>
      <translation>环境已创建，但其中没有 {python}。</translation>
    </message>
    <message>
      <source>The environment's python does not run: {tail}</source>
      <translation>环境中的 python 无法运行：{tail}</translation>
    </message>
    <message>
      <source>The file was damaged or replaced on the way: run it again, or try another mirror.</source>
      <translation>文件在传输中损坏或被替换：请重新运行，或换一个镜像。</translation>
    </message>
    <message>
      <source>The index could not be reached: check the network, or choose a mirror (install --mirror NAME), then run it again.</source>
      <translation>无法连接软件包索引：请检查网络，或选择一个镜像（install --mirror 名称），然后重新运行。</translation>
    </message>
    <message>
      <source>The install was cancelled.</source>
      <translation>安装已取消。</translation>
    </message>
    <message>
      <source>The lock of envs/{id} cannot be read.</source>
      <translation>无法读取 envs/{id} 的锁定文件。</translation>
    </message>
    <message>
      <source>The plan is blocked at step {step}: {title}</source>
      <translation>安装计划在步骤 {step} 处受阻：{title}</translation>
    </message>
    <message>
      <source>The previous environment envs/{id} is gone.</source>
      <translation>上一个环境 envs/{id} 已不存在。</translation>
    </message>
    <message>
      <source>Use the app's official release archive.</source>
      <translation>请使用应用的官方发布压缩包。</translation>
    </message>
    <message>
      <source>Wait for it to finish or cancel it; one install per folder at a time.</source>
      <translation>请等它完成或取消它；同一文件夹同一时间只能进行一个安装。</translation>
    </message>
    <message>
      <source>Writing in {folder} failed: {error}</source>
      <translation>写入 {folder} 失败：{error}</translation>
    </message>
    <message>
      <source>uv is not available here: pip runs the plan instead.</source>
      <translation>此处无法使用 uv：改由 pip 执行安装计划。</translation>
    </message>
    <message>
      <source>{folder} has no previous environment to go back to.</source>
      <translation>{folder} 没有可以退回的上一个环境。</translation>
    </message>
    <message>
      <source>{folder} holds no RigPilot install.</source>
      <translation>{folder} 中没有 RigPilot 的安装。</translation>
    </message>
    <message>
      <source>{free} GB free in {folder}; this install needs about {need} GB.</source>
      <translation>{folder} 所在磁盘剩余 {free} GB；本次安装约需 {need} GB。</translation>
    </message>
    <message>
      <source>{name} cannot be unpacked: {error}</source>
      <translation>无法解压 {name}：{error}</translation>
    </message>
    <message>
      <source>{name} holds {member}, which would be written outside the app folder.</source>
      <translation>{name} 中的 {member} 会被写到应用文件夹之外。</translation>
    </message>
    <message>
      <source>{name} is not a .tar.gz or .zip archive.</source>
      <translation>{name} 不是 .tar.gz 或 .zip 压缩包。</translation>
    </message>
    <message>
      <source>{name} is still {got} after the repair (the lock says {want}).</source>
      <translation>修复后 {name} 仍是 {got}（锁定文件要求 {want}）。</translation>
    </message>
    <message>
      <source>{name}: the downloaded file's sha256 is {got}, the index says {want}.</source>
      <translation>{name}：下载文件的 sha256 为 {got}，索引给出的是 {want}。</translation>
    </message>
    <message>
      <source>{name}=={want} was asked for, the environment has {got}.</source>
      <translation>要求安装 {name}=={want}，环境中实际是 {got}。</translation>
    </message>
    <message>
      <source>{path} cannot be read.</source>
      <translation>无法读取 {path}。</translation>
    </message>
    <message>
      <source>{path} does not exist.</source>
      <translation>{path} 不存在。</translation>
    </message>
    <message>
      <source>{path} is not a RigPilot install state.</source>
      <translation>{path} 不是 RigPilot 的安装状态文件。</translation>
    </message>
    <message>
      <source>{program} could not be started: {error}</source>
      <translation>无法启动 {program}：{error}</translation>
    </message>
    <message>
      <source>{program} did not finish within {seconds} s.</source>
      <translation>{program} 在 {seconds} 秒内没有完成。</translation>
    </message>
    <message>
      <source>{program} was not found.</source>
      <translation>找不到 {program}。</translation>
    </message>
  </context>
  <context>
    <name>install</name>
    <message>
      <source>Built in a new folder {staging}; it becomes the current environment only after every step and the verification passed, and the previous one is kept for a rollback.</source>
      <translation>在新文件夹 {staging} 中构建；只有所有步骤和验证都通过后才会成为当前环境，之前的环境会保留以便回滚。</translation>
    </message>
    <message>
      <source>Simulated rig: Python {version} is looked for on this machine.</source>
      <translation>模拟的机器：将在本机上查找 Python {version}。</translation>
    </message>
  </context>
  <context>
    <name>verify</name>
    <message>
      <source>A package built for torch does not match the installed build: reinstall it from the torch index.</source>
      <translation>为 torch 编译的软件包与已安装的版本不匹配：请从 torch 的索引重新安装它。</translation>
    </message>
    <message>
      <source>Check the driver with Detect; then run the smoke test (install --verify).</source>
      <translation>请用“检测”检查驱动，然后运行冒烟测试（install --verify）。</translation>
    </message>
    <message>
      <source>Choose a profile whose CUDA variant covers the card (a newer cu index).</source>
      <translation>请选择 CUDA 版本覆盖此显卡的配置（更新的 cu 索引）。</translation>
    </message>
    <message>
      <source>Expected until the driver is installed; verify again after Detect shows the driver.</source>
      <translation>在安装驱动之前这是正常的；等“检测”显示驱动后再验证一次。</translation>
    </message>
    <message>
      <source>Install the torchvision built for torch {torch} from the same index as torch ({index}): pin it in the profile, or run: python -m pip install --force-reinstall --no-deps --index-url {index} torchvision==&lt;the release paired with torch {torch}&gt;</source>
      <translation>请从与 torch 相同的索引（{index}）安装为 torch {torch} 编译的 torchvision：在配置中锁定它，或运行：python -m pip install --force-reinstall --no-deps --index-url {index} torchvision==&lt;与 torch {torch} 配套的版本&gt;</translation>
    </message>
    <message>
      <source>Run install --repair DIR; if it fails again, read the log of the torch step.</source>
      <translation>请运行 install --repair DIR；若仍失败，请查看 torch 步骤的日志。</translation>
    </message>
    <message>
      <source>Something replaced the pinned build: run install --repair DIR.</source>
      <translation>有东西替换了锁定的版本：请运行 install --repair DIR。</translation>
    </message>
    <message>
      <source>The arch list covers compute capability {cap}.</source>
      <translation>架构列表覆盖计算能力 {cap}。</translation>
    </message>
    <message>
      <source>The pin resolved to the CPU wheel: check the profile's index URL, then run the install again.</source>
      <translation>锁定版本解析到了 CPU 版 wheel：请检查配置的索引地址，然后重新安装。</translation>
    </message>
    <message>
      <source>The wrong build was installed: check the profile's index URL and run it again.</source>
      <translation>装错了版本：请检查配置的索引地址，然后重新运行。</translation>
    </message>
    <message>
      <source>This torch has no kernels for compute capability {cap} ({detail}).</source>
      <translation>此 torch 没有计算能力 {cap} 的内核（{detail}）。</translation>
    </message>
    <message>
      <source>torch does not import in the new environment: {error}</source>
      <translation>新环境中无法导入 torch：{error}</translation>
    </message>
    <message>
      <source>torch is {got}, the profile pins {want}.</source>
      <translation>torch 是 {got}，配置锁定的是 {want}。</translation>
    </message>
    <message>
      <source>torch sees no {api} device{detail}.</source>
      <translation>torch 看不到 {api} 设备{detail}。</translation>
    </message>
    <message>
      <source>torch sees the {api} device.</source>
      <translation>torch 能看到 {api} 设备。</translation>
    </message>
    <message>
      <source>torch {version} as pinned.</source>
      <translation>torch {version}，与锁定版本一致。</translation>
    </message>
    <message>
      <source>torch {version} is a CPU build; the profile chose a {api} build.</source>
      <translation>torch {version} 是 CPU 版本；配置选择的是 {api} 版本。</translation>
    </message>
    <message>
      <source>torch.version.{field} is empty: this torch has no {api} support.</source>
      <translation>torch.version.{field} 为空：此 torch 不支持 {api}。</translation>
    </message>
    <message>
      <source>torchvision {version} was built for another torch than {torch}: {error}</source>
      <translation>torchvision {version} 是为其他 torch 版本编译的，与 {torch} 不匹配：{error}</translation>
    </message>
    <message>
      <source>{name} does not import: {error}</source>
      <translation>无法导入 {name}：{error}</translation>
    </message>
    <message>
      <source>{name} {version} imports.</source>
      <translation>{name} {version} 可以导入。</translation>
    </message>
  </context>
</TS>
