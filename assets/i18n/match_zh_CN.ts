<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>LaunchPage</name>
    <message>
      <source>App</source>
      <translation>应用</translation>
    </message>
    <message>
      <source>App folder</source>
      <translation>应用文件夹</translation>
    </message>
    <message>
      <source>Browse...</source>
      <translation>浏览...</translation>
    </message>
    <message>
      <source>Cannot split the extra arguments: {detail}</source>
      <translation>无法拆分额外参数：{detail}</translation>
    </message>
    <message>
      <source>Choose a folder</source>
      <translation>选择文件夹</translation>
    </message>
    <message>
      <source>Choose the app folder and the venv's python to see the script.</source>
      <translation>选择应用文件夹和虚拟环境的 python 后即可预览脚本。</translation>
    </message>
    <message>
      <source>Choose the venv's python</source>
      <translation>选择虚拟环境的 python</translation>
    </message>
    <message>
      <source>Close every quote in the extra arguments.</source>
      <translation>请闭合额外参数中的所有引号。</translation>
    </message>
    <message>
      <source>Environment (KEY=VALUE per line)</source>
      <translation>环境变量（每行一个 KEY=VALUE）</translation>
    </message>
    <message>
      <source>Environment lines must be KEY=VALUE: {line}</source>
      <translation>环境变量行必须是 KEY=VALUE 格式：{line}</translation>
    </message>
    <message>
      <source>Extra arguments</source>
      <translation>额外参数</translation>
    </message>
    <message>
      <source>For example HF_HOME=/data/hf</source>
      <translation>例如 HF_HOME=/data/hf</translation>
    </message>
    <message>
      <source>Hardware profile</source>
      <translation>硬件配置</translation>
    </message>
    <message>
      <source>Installed environments</source>
      <translation>已安装的环境</translation>
    </message>
    <message>
      <source>Listen on all network interfaces</source>
      <translation>监听所有网络接口</translation>
    </message>
    <message>
      <source>Max restarts per hour</source>
      <translation>每小时最多重启次数</translation>
    </message>
    <message>
      <source>One instance per GPU</source>
      <translation>每个 GPU 一个实例</translation>
    </message>
    <message>
      <source>Open folder</source>
      <translation>打开文件夹</translation>
    </message>
    <message>
      <source>Operating system</source>
      <translation>操作系统</translation>
    </message>
    <message>
      <source>Port (0: the app's default)</source>
      <translation>端口（0：使用应用默认值）</translation>
    </message>
    <message>
      <source>Profile {id} ({confidence})</source>
      <translation>配置 {id}（{confidence}）</translation>
    </message>
    <message>
      <source>Python (venv interpreter)</source>
      <translation>Python（虚拟环境解释器）</translation>
    </message>
    <message>
      <source>Restart on crash (watchdog)</source>
      <translation>崩溃后自动重启（看门狗）</translation>
    </message>
    <message>
      <source>Script (generic app)</source>
      <translation>脚本（通用应用）</translation>
    </message>
    <message>
      <source>Script format</source>
      <translation>脚本格式</translation>
    </message>
    <message>
      <source>Write</source>
      <translation>写入</translation>
    </message>
    <message>
      <source>Write scripts to</source>
      <translation>脚本写入位置</translation>
    </message>
    <message>
      <source>Wrote {n} script(s) to {path}</source>
      <translation>已将 {n} 个脚本写入 {path}</translation>
    </message>
    <message>
      <source>automatic (matched)</source>
      <translation>自动（按匹配结果）</translation>
    </message>
  </context>
  <context>
    <name>MatchPage</name>
    <message>
      <source>Advise</source>
      <translation>给出建议</translation>
    </message>
    <message>
      <source>Batch</source>
      <translation>批量</translation>
    </message>
    <message>
      <source>COMMUNITY</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Candidate / rule</source>
      <translation>候选 / 规则</translation>
    </message>
    <message>
      <source>Chosen profile</source>
      <translation>所选配置</translation>
    </message>
    <message>
      <source>Environment: {env}</source>
      <translation>环境变量：{env}</translation>
    </message>
    <message>
      <source>GPU:</source>
      <translation>GPU：</translation>
    </message>
    <message>
      <source>Height</source>
      <translation>高度</translation>
    </message>
    <message>
      <source>Index: {url}</source>
      <translation>索引：{url}</translation>
    </message>
    <message>
      <source>Known problem “{pattern}”: {meaning} {hint}</source>
      <translation>已知问题“{pattern}”：{meaning} {hint}</translation>
    </message>
    <message>
      <source>Model format</source>
      <translation>模型格式</translation>
    </message>
    <message>
      <source>OFFICIAL</source>
      <translation>官方</translation>
    </message>
    <message>
      <source>Operating system:</source>
      <translation>操作系统：</translation>
    </message>
    <message>
      <source>Packages: {packages}</source>
      <translation>软件包：{packages}</translation>
    </message>
    <message>
      <source>Probe the machine first (Detect page), or load a saved probe.</source>
      <translation>请先检测本机（“检测”页），或加载已保存的检测结果。</translation>
    </message>
    <message>
      <source>Python: {python}</source>
      <translation>Python：{python}</translation>
    </message>
    <message>
      <source>Rejected for this card: {ids}</source>
      <translation>此显卡不适用：{ids}</translation>
    </message>
    <message>
      <source>Requires {what}: {value}</source>
      <translation>需要 {what}：{value}</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>SIMULATED rig: {name}</source>
      <translation>模拟机器：{name}</translation>
    </message>
    <message>
      <source>Sources:</source>
      <translation>来源：</translation>
    </message>
    <message>
      <source>Tuning: {tuning}</source>
      <translation>调优：{tuning}</translation>
    </message>
    <message>
      <source>UNVERIFIED</source>
      <translation>未验证</translation>
    </message>
    <message>
      <source>Unverified: taken from a guide, not confirmed by the research.</source>
      <translation>未验证：来自网络教程，研究资料未能证实。</translation>
    </message>
    <message>
      <source>VRAM (GB)</source>
      <translation>显存（GB）</translation>
    </message>
    <message>
      <source>VRAM advisor</source>
      <translation>显存顾问</translation>
    </message>
    <message>
      <source>Why this choice:</source>
      <translation>为什么这样选：</translation>
    </message>
    <message>
      <source>Width</source>
      <translation>宽度</translation>
    </message>
    <message>
      <source>accepted</source>
      <translation>可用</translation>
    </message>
    <message>
      <source>community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>does not fit</source>
      <translation>放不下</translation>
    </message>
    <message>
      <source>fails</source>
      <translation>不满足</translation>
    </message>
    <message>
      <source>fits</source>
      <translation>放得下</translation>
    </message>
    <message>
      <source>no GPU</source>
      <translation>无 GPU</translation>
    </message>
    <message>
      <source>not preferred</source>
      <translation>非首选</translation>
    </message>
    <message>
      <source>official</source>
      <translation>官方</translation>
    </message>
    <message>
      <source>ok</source>
      <translation>满足</translation>
    </message>
    <message>
      <source>rejected</source>
      <translation>不可用</translation>
    </message>
    <message>
      <source>tight</source>
      <translation>勉强</translation>
    </message>
    <message>
      <source>unverified</source>
      <translation>未验证</translation>
    </message>
    <message>
      <source>{verdict}: about {need} GB of {vram} GB. Recommended {w}x{h}, batch {b}, {quant}, VRAM mode {mode}.</source>
      <translation>{verdict}：约需 {need} GB，显卡共 {vram} GB。建议 {w}x{h}，批量 {b}，{quant}，显存模式 {mode}。</translation>
    </message>
  </context>
  <context>
    <name>advisor</name>
    <message>
      <source>Batch {batch} instead of {asked}: the guide gives at most 2 images on 8 GB and 4 on 12 GB, and more would not fit.</source>
      <translation>批量用 {batch} 而不是 {asked}：教程建议 8 GB 最多 2 张、12 GB 最多 4 张，再多放不下。</translation>
    </message>
    <message>
      <source>Cards with {vram} GB should use a {quant} model (8 GB cards: Q4, from the ComfyUI-GGUF guide).</source>
      <translation>{vram} GB 显存的显卡应使用 {quant} 模型（8 GB 显卡用 Q4，出自 ComfyUI-GGUF 教程）。</translation>
    </message>
    <message>
      <source>Estimate: {weights} GB weights + {overhead} GB overhead + 3e-6 x {w} x {h} x batch {b} = {need} GB (formula of the Z-Image-Turbo guide; the batch scaling is our assumption).</source>
      <translation>估算：权重 {weights} GB + 固定开销 {overhead} GB + 3e-6 x {w} x {h} x 批量 {b} = {need} GB（Z-Image-Turbo 教程的公式；按批量放大是我们的假设）。</translation>
    </message>
    <message>
      <source>For example --batch 1.</source>
      <translation>例如 --batch 1。</translation>
    </message>
    <message>
      <source>For example --model-gb 4.2.</source>
      <translation>例如 --model-gb 4.2。</translation>
    </message>
    <message>
      <source>For example --width 1024 --height 1024.</source>
      <translation>例如 --width 1024 --height 1024。</translation>
    </message>
    <message>
      <source>Give it with --vram-gb, or probe a machine whose driver reports it.</source>
      <translation>请用 --vram-gb 指定，或检测一台驱动能报告显存的机器。</translation>
    </message>
    <message>
      <source>Largest size that fits, one step of 16 below the limit: {rw}x{rh} (like 1008x1008 instead of 1024x1024 on 8 GB).</source>
      <translation>放得下的最大尺寸，并比极限低一档（16）：{rw}x{rh}（类似 8 GB 上用 1008x1008 代替 1024x1024）。</translation>
    </message>
    <message>
      <source>The batch must be between 1 and 64.</source>
      <translation>批量必须在 1 到 64 之间。</translation>
    </message>
    <message>
      <source>The card has {vram} GB; we plan with {ratio}% of it ({budget} GB): {verdict}.</source>
      <translation>显卡有 {vram} GB；按其中 {ratio}%（{budget} GB）规划：{verdict}。</translation>
    </message>
    <message>
      <source>The card's VRAM size is unknown.</source>
      <translation>显卡的显存大小未知。</translation>
    </message>
    <message>
      <source>The model alone does not fit in {budget} GB: even the smallest image will spill into system memory.</source>
      <translation>仅模型本身就放不进 {budget} GB：即使最小的图像也会溢出到系统内存。</translation>
    </message>
    <message>
      <source>The model size must be a positive size in GB.</source>
      <translation>模型大小必须是以 GB 为单位的正数。</translation>
    </message>
    <message>
      <source>Unknown quantization '{quant}'.</source>
      <translation>未知的量化格式“{quant}”。</translation>
    </message>
    <message>
      <source>Use fp16, q8 or q4.</source>
      <translation>请使用 fp16、q8 或 q4。</translation>
    </message>
    <message>
      <source>VRAM mode {mode} for {vram} GB of VRAM.</source>
      <translation>{vram} GB 显存使用显存模式 {mode}。</translation>
    </message>
    <message>
      <source>Width and height must be between 16 and 16384.</source>
      <translation>宽度和高度必须在 16 到 16384 之间。</translation>
    </message>
    <message>
      <source>does-not-fit</source>
      <translation>放不下</translation>
    </message>
    <message>
      <source>fits</source>
      <translation>放得下</translation>
    </message>
    <message>
      <source>tight</source>
      <translation>勉强</translation>
    </message>
    <message>
      <source>{w}x{h} rounded down to multiples of 16: {rw}x{rh}.</source>
      <translation>{w}x{h} 向下取整到 16 的倍数：{rw}x{rh}。</translation>
    </message>
  </context>
  <context>
    <name>cli-match</name>
    <message>
      <source>(other vendors' profiles hidden; --all shows them)</source>
      <translation>（已隐藏其他厂商的配置；用 --all 显示全部）</translation>
    </message>
    <message>
      <source>*** SIMULATED rig: {name} ***</source>
      <translation>*** 模拟机器：{name} ***</translation>
    </message>
    <message>
      <source>App profiles:</source>
      <translation>应用配置：</translation>
    </message>
    <message>
      <source>Candidates:</source>
      <translation>候选：</translation>
    </message>
    <message>
      <source>Cannot read {path}: {detail}</source>
      <translation>无法读取 {path}：{detail}</translation>
    </message>
    <message>
      <source>Chosen profile: {id} [{confidence}]</source>
      <translation>所选配置：{id} [{confidence}]</translation>
    </message>
    <message>
      <source>GPU: {gpu}</source>
      <translation>GPU：{gpu}</translation>
    </message>
    <message>
      <source>Hardware profiles:</source>
      <translation>硬件配置：</translation>
    </message>
    <message>
      <source>Index: {url}</source>
      <translation>索引：{url}</translation>
    </message>
    <message>
      <source>Packages: {packages}</source>
      <translation>软件包：{packages}</translation>
    </message>
    <message>
      <source>Profile {id} [{confidence}]</source>
      <translation>配置 {id} [{confidence}]</translation>
    </message>
    <message>
      <source>Python: {python}</source>
      <translation>Python：{python}</translation>
    </message>
    <message>
      <source>Recommended: {w}x{h}, batch {b}, {quant}, VRAM mode {mode}</source>
      <translation>建议：{w}x{h}，批量 {b}，{quant}，显存模式 {mode}</translation>
    </message>
    <message>
      <source>Requires {what}: {value}</source>
      <translation>需要 {what}：{value}</translation>
    </message>
    <message>
      <source>Save one with `python main.py probe --json &gt; probe.json`.</source>
      <translation>可用 `python main.py probe --json &gt; probe.json` 保存一份。</translation>
    </message>
    <message>
      <source>Sources:</source>
      <translation>来源：</translation>
    </message>
    <message>
      <source>Tables:</source>
      <translation>数据表：</translation>
    </message>
    <message>
      <source>Tuning: {tuning}</source>
      <translation>调优：{tuning}</translation>
    </message>
    <message>
      <source>VRAM advisor: does a model at this resolution and batch fit the card</source>
      <translation>显存顾问：该模型在此分辨率和批量下能否放进显卡</translation>
    </message>
    <message>
      <source>Verdict: {verdict} (about {need} GB of {vram} GB)</source>
      <translation>结论：{verdict}（约需 {need} GB，共 {vram} GB）</translation>
    </message>
    <message>
      <source>WARNING: {text}</source>
      <translation>警告：{text}</translation>
    </message>
    <message>
      <source>at most N restarts per hour (default 5)</source>
      <translation>每小时最多重启 N 次（默认 5）</translation>
    </message>
    <message>
      <source>check every profile file (unknown keys, bad values)</source>
      <translation>检查每个配置文件（未知键、错误值）</translation>
    </message>
    <message>
      <source>error [{code}]: {message}</source>
      <translation>错误 [{code}]：{message}</translation>
    </message>
    <message>
      <source>extra argument for the app (repeatable; write --arg=--flag for flags)</source>
      <translation>传给应用的额外参数（可重复；选项请写成 --arg=--flag）</translation>
    </message>
    <message>
      <source>extra environment variable; wins over the profile (repeatable)</source>
      <translation>额外的环境变量；优先于配置（可重复）</translation>
    </message>
    <message>
      <source>first restart delay in seconds, doubled after each crash (default 5)</source>
      <translation>首次重启前等待的秒数，每次崩溃后加倍（默认 5）</translation>
    </message>
    <message>
      <source>force this hardware profile</source>
      <translation>强制使用此硬件配置</translation>
    </message>
    <message>
      <source>force this profile (it is still explained)</source>
      <translation>强制使用此配置（仍会给出解释）</translation>
    </message>
    <message>
      <source>image height (default 1024)</source>
      <translation>图像高度（默认 1024）</translation>
    </message>
    <message>
      <source>image width (default 1024)</source>
      <translation>图像宽度（默认 1024）</translation>
    </message>
    <message>
      <source>images per batch (default 1)</source>
      <translation>每批图像数（默认 1）</translation>
    </message>
    <message>
      <source>known problem "{pattern}": {meaning} {hint}</source>
      <translation>已知问题“{pattern}”：{meaning} {hint}</translation>
    </message>
    <message>
      <source>list every candidate, not only the close ones</source>
      <translation>列出所有候选，而不只是相关的</translation>
    </message>
    <message>
      <source>list every profile</source>
      <translation>列出所有配置</translation>
    </message>
    <message>
      <source>list, show or validate the hardware/app profiles and release tables</source>
      <translation>列出、显示或校验硬件/应用配置和版本数据表</translation>
    </message>
    <message>
      <source>listen on all network interfaces</source>
      <translation>监听所有网络接口</translation>
    </message>
    <message>
      <source>match for this operating system (default: the probed one)</source>
      <translation>按此操作系统匹配（默认：检测到的系统）</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <source>note: {text}</source>
      <translation>说明：{text}</translation>
    </message>
    <message>
      <source>one script per GPU of the matched vendor, with distinct ports</source>
      <translation>为匹配厂商的每个 GPU 各写一个脚本，端口各不相同</translation>
    </message>
    <message>
      <source>overwrite files not written by RigPilot</source>
      <translation>覆盖不是 RigPilot 写的文件</translation>
    </message>
    <message>
      <source>pick the vendor profile (torch build, environment, tuning) for a GPU, with reasons</source>
      <translation>为 GPU 选择厂商配置（torch 版本、环境变量、调优），并说明理由</translation>
    </message>
    <message>
      <source>pin the app to GPU N</source>
      <translation>将应用固定到 GPU N</translation>
    </message>
    <message>
      <source>port of the (first) instance</source>
      <translation>（第一个）实例的端口</translation>
    </message>
    <message>
      <source>print JSON</source>
      <translation>输出 JSON</translation>
    </message>
    <message>
      <source>print the rigpilot.advice/1 JSON</source>
      <translation>输出 rigpilot.advice/1 JSON</translation>
    </message>
    <message>
      <source>print the rigpilot.match/1 JSON</source>
      <translation>输出 rigpilot.match/1 JSON</translation>
    </message>
    <message>
      <source>print what was written as JSON</source>
      <translation>以 JSON 输出写入的内容</translation>
    </message>
    <message>
      <source>probe a built-in simulated rig</source>
      <translation>检测内置的模拟机器</translation>
    </message>
    <message>
      <source>restart the app when it crashes (watchdog with backoff and a log file)</source>
      <translation>应用崩溃时自动重启（带退避和日志文件的看门狗）</translation>
    </message>
    <message>
      <source>script format</source>
      <translation>脚本格式</translation>
    </message>
    <message>
      <source>show one profile or table</source>
      <translation>显示一个配置或数据表</translation>
    </message>
    <message>
      <source>size of the model weights in GB</source>
      <translation>模型权重大小（GB）</translation>
    </message>
    <message>
      <source>source: {source}</source>
      <translation>来源：{source}</translation>
    </message>
    <message>
      <source>target operating system</source>
      <translation>目标操作系统</translation>
    </message>
    <message>
      <source>the GPU to advise for</source>
      <translation>要给出建议的 GPU</translation>
    </message>
    <message>
      <source>the GPU to match (default: the best one)</source>
      <translation>要匹配的 GPU（默认：最合适的那块）</translation>
    </message>
    <message>
      <source>the app folder (absolute)</source>
      <translation>应用文件夹（绝对路径）</translation>
    </message>
    <message>
      <source>the card's VRAM in GB (default: from the probe)</source>
      <translation>显卡显存（GB，默认取自检测结果）</translation>
    </message>
    <message>
      <source>the script to run (generic app)</source>
      <translation>要运行的脚本（通用应用）</translation>
    </message>
    <message>
      <source>the venv's interpreter (absolute path)</source>
      <translation>虚拟环境的解释器（绝对路径）</translation>
    </message>
    <message>
      <source>use a saved `probe --json` instead of probing</source>
      <translation>使用已保存的 `probe --json` 结果，不重新检测</translation>
    </message>
    <message>
      <source>validate this data folder instead</source>
      <translation>改为校验此数据文件夹</translation>
    </message>
    <message>
      <source>weight format of the model (default fp16)</source>
      <translation>模型的权重格式（默认 fp16）</translation>
    </message>
    <message>
      <source>where to write the scripts</source>
      <translation>脚本写入位置</translation>
    </message>
    <message>
      <source>which app to launch</source>
      <translation>要启动的应用</translation>
    </message>
    <message>
      <source>write launch scripts for ComfyUI, A1111, Z-Image WebUI or a script, tuned for the GPU</source>
      <translation>为 ComfyUI、A1111、Z-Image WebUI 或脚本生成按 GPU 调优的启动脚本</translation>
    </message>
    <message>
      <source>wrote {path}</source>
      <translation>已写入 {path}</translation>
    </message>
    <message>
      <source>{hardware} hardware profiles, {apps} app profiles, {tables} tables, {errors} errors</source>
      <translation>{hardware} 个硬件配置，{apps} 个应用配置，{tables} 个数据表，{errors} 个错误</translation>
    </message>
    <message>
      <source>{path} is not probe JSON: {detail}</source>
      <translation>{path} 不是检测结果 JSON：{detail}</translation>
    </message>
  </context>
  <context>
    <name>launch</name>
    <message>
      <source>'{name}' is not a valid environment variable name.</source>
      <translation>“{name}”不是有效的环境变量名。</translation>
    </message>
    <message>
      <source>--env needs KEY=VALUE, got {item}.</source>
      <translation>--env 需要 KEY=VALUE，收到的是 {item}。</translation>
    </message>
    <message>
      <source>Cannot create the folder {path}: {detail}</source>
      <translation>无法创建文件夹 {path}：{detail}</translation>
    </message>
    <message>
      <source>Cannot write {path}: {detail}</source>
      <translation>无法写入 {path}：{detail}</translation>
    </message>
    <message>
      <source>Choose a folder you can write to.</source>
      <translation>请选择一个可写的文件夹。</translation>
    </message>
    <message>
      <source>ComfyUI removes expandable_segments from PYTORCH_CUDA_ALLOC_CONF itself, so the launcher would not do what it says.</source>
      <translation>ComfyUI 会自行从 PYTORCH_CUDA_ALLOC_CONF 中删除 expandable_segments，启动脚本因此无法兑现这个设置。</translation>
    </message>
    <message>
      <source>Drop expandable_segments; use ComfyUI's --disable-cuda-malloc through --arg if you need the default allocator.</source>
      <translation>请去掉 expandable_segments；如需默认分配器，请通过 --arg 使用 ComfyUI 的 --disable-cuda-malloc。</translation>
    </message>
    <message>
      <source>For example --env HF_HOME=/data/hf.</source>
      <translation>例如 --env HF_HOME=/data/hf。</translation>
    </message>
    <message>
      <source>Give the full path of the app folder.</source>
      <translation>请给出应用文件夹的完整路径。</translation>
    </message>
    <message>
      <source>Give the full path of the venv's python (python.exe on Windows).</source>
      <translation>请给出虚拟环境 python 的完整路径（Windows 上为 python.exe）。</translation>
    </message>
    <message>
      <source>Launch a single instance without --gpu/--per-gpu.</source>
      <translation>请不带 --gpu/--per-gpu 启动单个实例。</translation>
    </message>
    <message>
      <source>Move it away or choose another --out folder.</source>
      <translation>请将其移走，或选择其他 --out 文件夹。</translation>
    </message>
    <message>
      <source>Pass --script FILE (relative to the app folder or absolute).</source>
      <translation>请传入 --script FILE（相对于应用文件夹或绝对路径）。</translation>
    </message>
    <message>
      <source>Profile {id} has no way to pin one instance to one GPU.</source>
      <translation>配置 {id} 无法把一个实例固定到一块 GPU 上。</translation>
    </message>
    <message>
      <source>Rename the folder or change the value, or choose another script format.</source>
      <translation>请重命名文件夹或修改该值，或选择其他脚本格式。</translation>
    </message>
    <message>
      <source>The app folder {path} is not absolute.</source>
      <translation>应用文件夹 {path} 不是绝对路径。</translation>
    </message>
    <message>
      <source>The generic app needs the script to run.</source>
      <translation>通用应用需要指定要运行的脚本。</translation>
    </message>
    <message>
      <source>The interpreter path {path} is not absolute.</source>
      <translation>解释器路径 {path} 不是绝对路径。</translation>
    </message>
    <message>
      <source>The {what} {value} cannot be written safely into a {fmt} script: {why}.</source>
      <translation>{what} {value} 无法安全地写入 {fmt} 脚本：{why}。</translation>
    </message>
    <message>
      <source>Unknown app '{app}'.</source>
      <translation>未知的应用“{app}”。</translation>
    </message>
    <message>
      <source>Unknown script format '{fmt}'.</source>
      <translation>未知的脚本格式“{fmt}”。</translation>
    </message>
    <message>
      <source>Use comfyui, a1111, zimage or generic.</source>
      <translation>请使用 comfyui、a1111、zimage 或 generic。</translation>
    </message>
    <message>
      <source>Use letters, digits and underscores, e.g. --env MY_VAR=1; names starting with RP_ are reserved for the launcher.</source>
      <translation>请使用字母、数字和下划线，例如 --env MY_VAR=1；以 RP_ 开头的名称保留给启动脚本。</translation>
    </message>
    <message>
      <source>Use sh, bat or ps1.</source>
      <translation>请使用 sh、bat 或 ps1。</translation>
    </message>
    <message>
      <source>Windows PowerShell does not pass double quotes to programs intact</source>
      <translation>Windows PowerShell 无法把双引号原样传给程序</translation>
    </message>
    <message>
      <source>Windows PowerShell drops empty arguments</source>
      <translation>Windows PowerShell 会丢弃空参数</translation>
    </message>
    <message>
      <source>Windows PowerShell mangles a quoted argument ending in a backslash</source>
      <translation>Windows PowerShell 会弄乱以反斜杠结尾的带引号参数</translation>
    </message>
    <message>
      <source>cmd cannot quote a double quote</source>
      <translation>cmd 无法给双引号加引号</translation>
    </message>
    <message>
      <source>it contains a NUL character</source>
      <translation>其中含有 NUL 字符</translation>
    </message>
    <message>
      <source>it contains a line break</source>
      <translation>其中含有换行</translation>
    </message>
    <message>
      <source>it contains a line break or NUL</source>
      <translation>其中含有换行或 NUL</translation>
    </message>
    <message>
      <source>on Windows setting a variable to an empty value removes it</source>
      <translation>在 Windows 上把变量设为空值会删除该变量</translation>
    </message>
    <message>
      <source>{path} exists and was not written by RigPilot.</source>
      <translation>{path} 已存在，且不是 RigPilot 写的。</translation>
    </message>
  </context>
  <context>
    <name>match</name>
    <message>
      <source>CUDA {family}.x wheels need driver {floor} or newer on {os}; the driver is {driver}.</source>
      <translation>CUDA {family}.x 的 wheel 在 {os} 上需要 {floor} 或更新的驱动；当前驱动为 {driver}。</translation>
    </message>
    <message>
      <source>Compute API {api}; this profile wants {wanted}.</source>
      <translation>计算接口为 {api}；此配置需要 {wanted}。</translation>
    </message>
    <message>
      <source>Compute capability {cap}: precision {precision}.</source>
      <translation>计算能力 {cap}：精度 {precision}。</translation>
    </message>
    <message>
      <source>Compute capability {cap}; this profile needs {spec}.</source>
      <translation>计算能力为 {cap}；此配置需要 {spec}。</translation>
    </message>
    <message>
      <source>Driver {driver}; this profile needs {spec}.</source>
      <translation>驱动为 {driver}；此配置需要 {spec}。</translation>
    </message>
    <message>
      <source>Fallback profile: always possible, used when no GPU profile fits.</source>
      <translation>后备配置：总是可用，在没有合适的 GPU 配置时使用。</translation>
    </message>
    <message>
      <source>GPU vendor is {vendor}; this profile is for {wanted}.</source>
      <translation>GPU 厂商为 {vendor}；此配置适用于 {wanted}。</translation>
    </message>
    <message>
      <source>No GPU profile fits {name} ({vendor}); RigPilot falls back to the CPU.</source>
      <translation>没有适合 {name}（{vendor}）的 GPU 配置；RigPilot 退回到 CPU。</translation>
    </message>
    <message>
      <source>No GPU was found, and this profile needs one.</source>
      <translation>未找到 GPU，而此配置需要 GPU。</translation>
    </message>
    <message>
      <source>No driver floor is known for CUDA {family}.x.</source>
      <translation>未知 CUDA {family}.x 的最低驱动版本。</translation>
    </message>
    <message>
      <source>No index serves {gfx}; {name}={value} makes ROCm treat it as {target}, same major version.</source>
      <translation>没有索引支持 {gfx}；{name}={value} 让 ROCm 把它当作 {target}，主版本相同。</translation>
    </message>
    <message>
      <source>Operating system is {os}; this profile is for {wanted}.</source>
      <translation>操作系统为 {os}；此配置适用于 {wanted}。</translation>
    </message>
    <message>
      <source>Overriding {gfx} as {value} would cross a major version, which ROCm rejects.</source>
      <translation>把 {gfx} 覆盖为 {value} 会跨主版本，ROCm 会拒绝。</translation>
    </message>
    <message>
      <source>PCI vendor id {id}; this profile wants {wanted}.</source>
      <translation>PCI 厂商 ID 为 {id}；此配置需要 {wanted}。</translation>
    </message>
    <message>
      <source>Profile {id} was chosen by hand although the matcher rejects it.</source>
      <translation>配置 {id} 是手动指定的，但匹配器认为它不适用。</translation>
    </message>
    <message>
      <source>Run `python main.py probe` to see the GPU numbers.</source>
      <translation>运行 `python main.py probe` 查看 GPU 编号。</translation>
    </message>
    <message>
      <source>The AMD GPUs in this machine differ, so the override is set for this GPU only.</source>
      <translation>本机的 AMD GPU 型号不同，因此只为这块 GPU 设置覆盖。</translation>
    </message>
    <message>
      <source>The card ({name}, PCI device {device}, arch {arch}) is not one this profile covers.</source>
      <translation>此配置不覆盖这块显卡（{name}，PCI 设备 {device}，架构 {arch}）。</translation>
    </message>
    <message>
      <source>The card is one this profile covers ({evidence}).</source>
      <translation>此配置覆盖这块显卡（{evidence}）。</translation>
    </message>
    <message>
      <source>The card's compute capability is unknown, so {tag} cannot be checked against the wheel's architectures.</source>
      <translation>显卡的计算能力未知，无法对照 {tag} wheel 的架构进行检查。</translation>
    </message>
    <message>
      <source>The card's gfx target is unknown, so no ROCm index can be chosen.</source>
      <translation>显卡的 gfx 目标未知，无法选择 ROCm 索引。</translation>
    </message>
    <message>
      <source>The probe has no CUDA version from the driver; driver {driver} ships with CUDA {cuda} (toolkit table).</source>
      <translation>检测结果中没有驱动报告的 CUDA 版本；驱动 {driver} 随附 CUDA {cuda}（工具包对照表）。</translation>
    </message>
    <message>
      <source>The {index} index does not serve {gfx}, and no sourced override exists for it.</source>
      <translation>{index} 索引不支持 {gfx}，也没有有出处的覆盖规则。</translation>
    </message>
    <message>
      <source>The {index} index serves neither {gfx} nor the override target {target}.</source>
      <translation>{index} 索引既不支持 {gfx}，也不支持覆盖目标 {target}。</translation>
    </message>
    <message>
      <source>The {index} index serves {gfx}: no HSA_OVERRIDE_GFX_VERSION.</source>
      <translation>{index} 索引支持 {gfx}：不设置 HSA_OVERRIDE_GFX_VERSION。</translation>
    </message>
    <message>
      <source>The {tag} wheel (torch {torch}) carries sm {archs}; the card is sm {cap}: {verdict}.</source>
      <translation>{tag} wheel（torch {torch}）包含 sm {archs}；显卡为 sm {cap}：{verdict}。</translation>
    </message>
    <message>
      <source>There is no GPU {index} in the probe result.</source>
      <translation>检测结果中没有 GPU {index}。</translation>
    </message>
    <message>
      <source>There is no profile '{id}'.</source>
      <translation>没有配置“{id}”。</translation>
    </message>
    <message>
      <source>This card (compute capability {cap}, Pascal or older) has no Tensor Cores and weak fp16: expect slow generation; fp32 is used.</source>
      <translation>这块显卡（计算能力 {cap}，Pascal 或更老）没有 Tensor Core，fp16 性能弱：生成会很慢；将使用 fp32。</translation>
    </message>
    <message>
      <source>Unknown operating system '{os}'.</source>
      <translation>未知的操作系统“{os}”。</translation>
    </message>
    <message>
      <source>Use linux, windows or darwin.</source>
      <translation>请使用 linux、windows 或 darwin。</translation>
    </message>
    <message>
      <source>`python main.py profiles list` shows the profile ids.</source>
      <translation>`python main.py profiles list` 可列出配置 ID。</translation>
    </message>
    <message>
      <source>covered</source>
      <translation>已覆盖</translation>
    </message>
    <message>
      <source>not covered</source>
      <translation>未覆盖</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>未知</translation>
    </message>
    <message>
      <source>{gib} GiB of VRAM: VRAM mode {mode}.</source>
      <translation>显存 {gib} GiB：显存模式 {mode}。</translation>
    </message>
    <message>
      <source>{tag} (CUDA {cuda}) is above the CUDA {max} the driver reports: it would run only under minor-version compatibility (limited feature set); update the driver to prefer it.</source>
      <translation>{tag}（CUDA {cuda}）高于驱动报告的 CUDA {max}：只能在次版本兼容模式下运行（功能受限）；更新驱动后才会优先选它。</translation>
    </message>
    <message>
      <source>{tag} (CUDA {cuda}) is not above the CUDA {max} the driver reports: preferred.</source>
      <translation>{tag}（CUDA {cuda}）不高于驱动报告的 CUDA {max}：优先选择。</translation>
    </message>
  </context>
  <context>
    <name>profile-notes</name>
    <message>
      <source>--force-fp16 is an inference from ComfyUI's capability check, not a tested fact.</source>
      <translation>--force-fp16 是根据 ComfyUI 的计算能力检查推断出来的，未经实测。</translation>
    </message>
    <message>
      <source>A CPU-only torch ended up in the venv (often after an update or a custom node reinstalled it).</source>
      <translation>虚拟环境里装成了纯 CPU 版 torch（常见于更新或自定义节点重新安装了它）。</translation>
    </message>
    <message>
      <source>A blanket override breaks cards that ROCm already supports (gfx1030 discovery fails).</source>
      <translation>一刀切的覆盖会破坏 ROCm 本已支持的显卡（gfx1030 无法被识别）。</translation>
    </message>
    <message>
      <source>AMD GPU on Windows through DirectML</source>
      <translation>Windows 上通过 DirectML 使用 AMD GPU</translation>
    </message>
    <message>
      <source>AMD GPU with a PyTorch ROCm wheel (Linux)</source>
      <translation>AMD GPU 使用 PyTorch ROCm wheel（Linux）</translation>
    </message>
    <message>
      <source>AMD also publishes Windows ROCm wheels for RDNA2 to RDNA4 (ComfyUI README); RigPilot does not install them yet.</source>
      <translation>AMD 也为 RDNA2 到 RDNA4 发布了 Windows 版 ROCm wheel（见 ComfyUI README）；RigPilot 暂不安装它们。</translation>
    </message>
    <message>
      <source>Apple silicon with PyTorch MPS</source>
      <translation>Apple 芯片使用 PyTorch MPS</translation>
    </message>
    <message>
      <source>Biren BR104 through a ROCm bridge, as a popular guide describes it (unverified)</source>
      <translation>壁仞 BR104 通过 ROCm 桥接（按流行教程的描述，未验证）</translation>
    </message>
    <message>
      <source>Biren BR2xx with torch-supa on Linux</source>
      <translation>壁仞 BR2xx 在 Linux 上使用 torch-supa</translation>
    </message>
    <message>
      <source>CPU only (no supported GPU)</source>
      <translation>仅 CPU（没有受支持的 GPU）</translation>
    </message>
    <message>
      <source>Check the IOMMU settings in the BIOS and the kernel command line.</source>
      <translation>请检查 BIOS 和内核启动参数中的 IOMMU 设置。</translation>
    </message>
    <message>
      <source>ComfyUI mainline has no MUSA support: the launcher imports torchada before ComfyUI so torch.cuda calls run on MUSA.</source>
      <translation>ComfyUI 主线不支持 MUSA：启动脚本会先导入 torchada，让 torch.cuda 调用在 MUSA 上运行。</translation>
    </message>
    <message>
      <source>Flash attention needs mp_22 or newer; the S80 (mp_21) uses PyTorch attention.</source>
      <translation>Flash attention 需要 mp_22 或更新的架构；S80（mp_21）使用 PyTorch 注意力。</translation>
    </message>
    <message>
      <source>Innosilicon Fantasy 2 through a CUDA bridge, as a popular guide describes it (unverified)</source>
      <translation>芯动风华 2 号通过 CUDA 桥接（按流行教程的描述，未验证）</translation>
    </message>
    <message>
      <source>Install the CUDA variant this profile chose; the candidates list shows which wheels cover the card.</source>
      <translation>请安装此配置选定的 CUDA 版本；候选列表显示了哪些 wheel 覆盖这块显卡。</translation>
    </message>
    <message>
      <source>Install the MUSA wheels with --no-deps from the Moore Threads index first, or an unpinned torch can resolve to a public CUDA build.</source>
      <translation>请先用 --no-deps 从摩尔线程索引安装 MUSA wheel，否则未固定版本的 torch 可能被解析成公共的 CUDA 版本。</translation>
    </message>
    <message>
      <source>Intel Arc GPU with a PyTorch XPU wheel</source>
      <translation>Intel Arc GPU 使用 PyTorch XPU wheel</translation>
    </message>
    <message>
      <source>Moore Threads "MUSA on Windows" recipe from a popular guide (unverified)</source>
      <translation>流行教程中的摩尔线程“Windows 上的 MUSA”方案（未验证）</translation>
    </message>
    <message>
      <source>Moore Threads GPU on Windows through DirectML</source>
      <translation>Windows 上通过 DirectML 使用摩尔线程 GPU</translation>
    </message>
    <message>
      <source>Moore Threads MTT S4000 (mp_22) with torch_musa 2.7.1 on Linux</source>
      <translation>摩尔线程 MTT S4000（mp_22）在 Linux 上使用 torch_musa 2.7.1</translation>
    </message>
    <message>
      <source>Moore Threads MTT S5000 (mp_31) with torch_musa 2.11 on Linux</source>
      <translation>摩尔线程 MTT S5000（mp_31）在 Linux 上使用 torch_musa 2.11</translation>
    </message>
    <message>
      <source>Moore Threads MTT S80 / S70 / S3000 / X300 (mp_21) with torch_musa on Linux</source>
      <translation>摩尔线程 MTT S80 / S70 / S3000 / X300（mp_21）在 Linux 上使用 torch_musa</translation>
    </message>
    <message>
      <source>NVIDIA GPU with a PyTorch CUDA wheel</source>
      <translation>NVIDIA GPU 使用 PyTorch CUDA wheel</translation>
    </message>
    <message>
      <source>No GPU profile fits this machine: generation will run on the CPU and be very slow.</source>
      <translation>没有适合本机的 GPU 配置：生成将在 CPU 上运行，速度会非常慢。</translation>
    </message>
    <message>
      <source>No torch 2.1.0+mtt wheel was found by the research and torch_musa states it has no Windows support (MooreThreads/torch_musa issue #27); this recipe is kept only as the guide describes it.</source>
      <translation>研究未找到 torch 2.1.0+mtt 这个 wheel，且 torch_musa 声明不支持 Windows（MooreThreads/torch_musa issue #27）；此方案仅按教程原样保留。</translation>
    </message>
    <message>
      <source>RTX 50 cards need cu128 or newer; install the variant this profile chose.</source>
      <translation>RTX 50 系列需要 cu128 或更新版本；请安装此配置选定的版本。</translation>
    </message>
    <message>
      <source>Reinstall the exact pins of this profile and the MUSA SDK it names.</source>
      <translation>请按此配置的精确版本重新安装，并安装它指定的 MUSA SDK。</translation>
    </message>
    <message>
      <source>Reinstall torch from the index this profile names.</source>
      <translation>请从此配置指定的索引重新安装 torch。</translation>
    </message>
    <message>
      <source>Remove the global override; RigPilot sets one only for unserved gfx targets, per GPU where cards differ.</source>
      <translation>请去掉全局覆盖；RigPilot 只为没有索引支持的 gfx 目标设置覆盖，显卡不同时按 GPU 分别设置。</translation>
    </message>
    <message>
      <source>Source the SDK environment first: /usr/local/birensupa/all/latest/scripts/brsw_set_env.sh.</source>
      <translation>请先加载 SDK 环境：/usr/local/birensupa/all/latest/scripts/brsw_set_env.sh。</translation>
    </message>
    <message>
      <source>The CUDA wheel is chosen from the card's compute capability and the driver version; see the candidates.</source>
      <translation>CUDA wheel 根据显卡的计算能力和驱动版本选择；详见候选列表。</translation>
    </message>
    <message>
      <source>The MUSA driver cannot use the device with the current IOMMU setting.</source>
      <translation>在当前的 IOMMU 设置下，MUSA 驱动无法使用该设备。</translation>
    </message>
    <message>
      <source>The ROCm index is chosen by the card's gfx target; HSA_OVERRIDE_GFX_VERSION is set only for targets no index serves, and never across a major version.</source>
      <translation>ROCm 索引根据显卡的 gfx 目标选择；只有在没有索引支持该目标时才设置 HSA_OVERRIDE_GFX_VERSION，且绝不跨主版本。</translation>
    </message>
    <message>
      <source>The S80 (mp_21) has no flash attention kernels.</source>
      <translation>S80（mp_21）没有 flash attention 内核。</translation>
    </message>
    <message>
      <source>The card (for example an RTX 50, sm_120) is newer than the wheel's architecture list.</source>
      <translation>这块显卡（例如 RTX 50，sm_120）比 wheel 的架构列表更新。</translation>
    </message>
    <message>
      <source>The guide installs from the find-links page https://download.mthreads.com/torch.</source>
      <translation>该教程从 find-links 页面 https://download.mthreads.com/torch 安装。</translation>
    </message>
    <message>
      <source>The installed build has no kernels for this card's architecture.</source>
      <translation>已安装的版本没有这块显卡架构的内核。</translation>
    </message>
    <message>
      <source>The installed torch wheel was not built for this card's compute capability.</source>
      <translation>已安装的 torch wheel 不是为这块显卡的计算能力构建的。</translation>
    </message>
    <message>
      <source>The research found no public ROCm support for Biren cards and no Biren PCI vendor id; this recipe is the guide's claim, not a verified fact.</source>
      <translation>研究未找到壁仞显卡的公开 ROCm 支持，也没有壁仞的 PCI 厂商 ID；此方案只是教程的说法，并非已验证的事实。</translation>
    </message>
    <message>
      <source>The research found no public compute SDK, PyTorch build or tool for Innosilicon Fantasy cards (only their PCI ids are public: pciutils/pciids pci.ids, vendor 1ec8); this recipe is the guide's claim, not a verified fact.</source>
      <translation>研究未找到芯动风华显卡的公开计算 SDK、PyTorch 版本或工具（公开的只有其 PCI ID：pciutils/pciids 的 pci.ids，厂商 1ec8）；此方案只是教程的说法，并非已验证的事实。</translation>
    </message>
    <message>
      <source>Use PyTorch attention (ComfyUI --use-pytorch-cross-attention); this profile already does.</source>
      <translation>请使用 PyTorch 注意力（ComfyUI --use-pytorch-cross-attention）；此配置已经这样设置。</translation>
    </message>
    <message>
      <source>Use the torch_musa 2.1.x / MUSA SDK 4.2.0 pair; newer stacks may lack mp_21 kernels.</source>
      <translation>请使用 torch_musa 2.1.x 与 MUSA SDK 4.2.0 的组合；更新的版本可能缺少 mp_21 内核。</translation>
    </message>
    <message>
      <source>torch and torch_musa wheels come from the torch_musa GitHub release (Linux, Python 3.10 only); there is no public index for this pair.</source>
      <translation>torch 和 torch_musa 的 wheel 来自 torch_musa 的 GitHub Release（仅 Linux、Python 3.10）；这一组合没有公共索引。</translation>
    </message>
    <message>
      <source>torch and torch_musa wheels come from the torch_musa GitHub release (Linux, Python 3.10).</source>
      <translation>torch 和 torch_musa 的 wheel 来自 torch_musa 的 GitHub Release（Linux、Python 3.10）。</translation>
    </message>
    <message>
      <source>torch, torch_musa and the MUSA SDK do not belong together.</source>
      <translation>torch、torch_musa 与 MUSA SDK 的版本互不匹配。</translation>
    </message>
    <message>
      <source>torch-directml has had no release since September 2024: torch stays at 2.4.1 and Python at 3.12 or older.</source>
      <translation>torch-directml 自 2024 年 9 月起再无新版本：torch 停留在 2.4.1，Python 只能用 3.12 或更老版本。</translation>
    </message>
    <message>
      <source>torch-supa installs on top of the CPU-only PyTorch wheel; the torch_supa wheel comes from Biren, not from an index.</source>
      <translation>torch-supa 安装在纯 CPU 版 PyTorch wheel 之上；torch_supa wheel 由壁仞提供，不在索引中。</translation>
    </message>
    <message>
      <source>torch_musa has no Windows build (MooreThreads/torch_musa issue #27); DirectML is the route that exists on Windows.</source>
      <translation>torch_musa 没有 Windows 版本（MooreThreads/torch_musa issue #27）；在 Windows 上可行的途径是 DirectML。</translation>
    </message>
  </context>
  <context>
    <name>profiles</name>
    <message>
      <source>Fix or remove the key named in the message; `python main.py profiles validate` checks every file.</source>
      <translation>请修正或删除消息中指出的键；`python main.py profiles validate` 会检查每个文件。</translation>
    </message>
    <message>
      <source>Invalid profile data in {where}: {detail}</source>
      <translation>配置数据无效，位置 {where}：{detail}</translation>
    </message>
    <message>
      <source>community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>official</source>
      <translation>官方</translation>
    </message>
    <message>
      <source>unverified</source>
      <translation>未验证</translation>
    </message>
  </context>
</TS>
