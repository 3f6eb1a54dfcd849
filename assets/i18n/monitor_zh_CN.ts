<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>MonitorPage</name>
    <message>
      <source>Apply</source>
      <translation>应用</translation>
    </message>
    <message>
      <source>CSV logging stopped.</source>
      <translation>已停止 CSV 记录。</translation>
    </message>
    <message>
      <source>Clock {v} MHz</source>
      <translation>频率 {v} MHz</translation>
    </message>
    <message>
      <source>Cool by</source>
      <translation>降温</translation>
    </message>
    <message>
      <source>Each step lowers the power limit by this share of the default limit, never below the card's minimum.</source>
      <translation>每级把功耗上限降低默认上限的这一比例，但不低于显卡的最小值。</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>导出 CSV</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message>
      <source>Exported {n} samples to {path}.</source>
      <translation>已导出 {n} 条采样到 {path}。</translation>
    </message>
    <message>
      <source>Fan {v} %</source>
      <translation>风扇 {v} %</translation>
    </message>
    <message>
      <source>GPU</source>
      <translation>核心</translation>
    </message>
    <message>
      <source>GPU state: {state}</source>
      <translation>GPU 状态：{state}</translation>
    </message>
    <message>
      <source>GPU {gpu} keeps {watts} W.</source>
      <translation>GPU {gpu} 保持 {watts} W。</translation>
    </message>
    <message>
      <source>GPU {gpu} now runs at {watts} W. Keep it? Reverting to {previous} W in {n} s.</source>
      <translation>GPU {gpu} 现在运行在 {watts} W。保留吗？{n} 秒后恢复为 {previous} W。</translation>
    </message>
    <message>
      <source>GPU {index}: {name}</source>
      <translation>GPU {index}：{name}</translation>
    </message>
    <message>
      <source>Hold</source>
      <translation>保持</translation>
    </message>
    <message>
      <source>How long the temperature must stay above the threshold before a step down.</source>
      <translation>温度需高于阈值多久才降一级。</translation>
    </message>
    <message>
      <source>Keep the new power limit?</source>
      <translation>保留新的功耗上限？</translation>
    </message>
    <message>
      <source>Load of the simulated GPUs: the thermal model heats up and draws power accordingly.</source>
      <translation>模拟显卡的负载：热模型会相应升温并消耗功率。</translation>
    </message>
    <message>
      <source>Load {v} %</source>
      <translation>负载 {v} %</translation>
    </message>
    <message>
      <source>Log to CSV</source>
      <translation>记录到 CSV</translation>
    </message>
    <message>
      <source>Logging every sample to {path} (one file per day).</source>
      <translation>正在把每个采样记录到 {path}（每天一个文件）。</translation>
    </message>
    <message>
      <source>Lower the power limit when the GPU stays above the threshold for the hold time; restore it when the GPU has cooled down.</source>
      <translation>GPU 温度在保持时间内一直高于阈值时降低功耗上限；GPU 冷却后恢复。</translation>
    </message>
    <message>
      <source>No power information yet.</source>
      <translation>暂无功耗信息。</translation>
    </message>
    <message>
      <source>No telemetry source can read these GPUs.</source>
      <translation>没有可读取这些 GPU 的遥测来源。</translation>
    </message>
    <message>
      <source>Not confirmed: GPU {gpu} is back at {watts} W.</source>
      <translation>未确认：GPU {gpu} 已恢复为 {watts} W。</translation>
    </message>
    <message>
      <source>Opening telemetry…</source>
      <translation>正在打开遥测…</translation>
    </message>
    <message>
      <source>Power</source>
      <translation>功耗</translation>
    </message>
    <message>
      <source>Power limit</source>
      <translation>功耗上限</translation>
    </message>
    <message>
      <source>Power {draw} / {limit} W</source>
      <translation>功耗 {draw} / {limit} W</translation>
    </message>
    <message>
      <source>Range {min_w}–{max_w} W, default {default} W.</source>
      <translation>范围 {min_w}–{max_w} W，默认 {default} W。</translation>
    </message>
    <message>
      <source>RigPilot thermal guard</source>
      <translation>RigPilot 温度守护</translation>
    </message>
    <message>
      <source>Run simulated time faster, to watch an hour of the thermal guard in a minute.</source>
      <translation>加快模拟时间，一分钟即可看完温度守护一小时的动作。</translation>
    </message>
    <message>
      <source>SIMULATED</source>
      <translation>模拟</translation>
    </message>
    <message>
      <source>Setting GPU {gpu} to {watts} W…</source>
      <translation>正在将 GPU {gpu} 设为 {watts} W…</translation>
    </message>
    <message>
      <source>Simulated load</source>
      <translation>模拟负载</translation>
    </message>
    <message>
      <source>Speed</source>
      <translation>速度</translation>
    </message>
    <message>
      <source>Step</source>
      <translation>每级</translation>
    </message>
    <message>
      <source>Telemetry could not be opened: {detail}</source>
      <translation>无法打开遥测：{detail}</translation>
    </message>
    <message>
      <source>Temp {v} °C</source>
      <translation>温度 {v} °C</translation>
    </message>
    <message>
      <source>Temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <source>The guard acts when the GPU temperature stays above this.</source>
      <translation>显卡温度持续高于此值时，守护开始动作。</translation>
    </message>
    <message>
      <source>The limit steps back up once the GPU is this much below the threshold…</source>
      <translation>显卡温度低于阈值这么多之后，上限回升一级……</translation>
    </message>
    <message>
      <source>The power limit cannot be changed here: {reason}</source>
      <translation>此处无法修改功耗上限：{reason}</translation>
    </message>
    <message>
      <source>Thermal guard</source>
      <translation>温度守护</translation>
    </message>
    <message>
      <source>Threshold</source>
      <translation>阈值</translation>
    </message>
    <message>
      <source>Utilisation</source>
      <translation>利用率</translation>
    </message>
    <message>
      <source>VRAM</source>
      <translation>显存</translation>
    </message>
    <message>
      <source>VRAM {used} / {total} GiB</source>
      <translation>显存 {used} / {total} GiB</translation>
    </message>
    <message>
      <source>Waiting for the first scan…</source>
      <translation>等待首次扫描…</translation>
    </message>
    <message>
      <source>Window</source>
      <translation>时间窗口</translation>
    </message>
    <message>
      <source>Write every sample to {path} (one file per day).</source>
      <translation>把每个采样写入 {path}（每天一个文件）。</translation>
    </message>
    <message>
      <source>draw</source>
      <translation>功耗</translation>
    </message>
    <message>
      <source>for</source>
      <translation>持续</translation>
    </message>
    <message>
      <source>hotspot</source>
      <translation>热点</translation>
    </message>
    <message>
      <source>limit</source>
      <translation>上限</translation>
    </message>
    <message>
      <source>threshold</source>
      <translation>阈值</translation>
    </message>
    <message>
      <source>total</source>
      <translation>总量</translation>
    </message>
    <message>
      <source>used</source>
      <translation>已用</translation>
    </message>
    <message>
      <source>{time}: {temp} °C, {draw}/{limit} W, VRAM {used} GiB, load {util} %</source>
      <translation>{time}：{temp} °C，{draw}/{limit} W，显存 {used} GiB，负载 {util} %</translation>
    </message>
    <message>
      <source>…for this long; never above your own limit.</source>
      <translation>……并持续这么久；不会超过你自己设定的上限。</translation>
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <source>GPU index (default 0)</source>
      <translation>GPU 编号（默认 0）</translation>
    </message>
    <message>
      <source>also log to FILE-YYYY-MM-DD.csv, one file per day</source>
      <translation>同时记录到 FILE-YYYY-MM-DD.csv，每天一个文件</translation>
    </message>
    <message>
      <source>back to the default limit</source>
      <translation>恢复默认上限</translation>
    </message>
    <message>
      <source>guard threshold in °C (default 85)</source>
      <translation>守护温度阈值，单位 °C（默认 85）</translation>
    </message>
    <message>
      <source>guard: seconds above the threshold before a step down (default 10)</source>
      <translation>守护：温度高于阈值持续多少秒后降一级（默认 10）</translation>
    </message>
    <message>
      <source>guard: step back up once this many °C below the threshold (default 10)</source>
      <translation>守护：温度低于阈值这么多 °C 后回升一级（默认 10）</translation>
    </message>
    <message>
      <source>guard: step size in %% of the default power limit (default 10)</source>
      <translation>守护：每级降幅，占默认功耗上限的百分比（默认 10）</translation>
    </message>
    <message>
      <source>guard: … for this many seconds (default 60)</source>
      <translation>守护：……并持续这么多秒（默认 60）</translation>
    </message>
    <message>
      <source>limits: min, max, default, current, enforced</source>
      <translation>上限：最小、最大、默认、当前、实际生效</translation>
    </message>
    <message>
      <source>lower the power limit when the GPU stays too hot, restore it when it cools</source>
      <translation>GPU 持续过热时降低功耗上限，冷却后恢复</translation>
    </message>
    <message>
      <source>monitor a built-in simulated rig</source>
      <translation>监视内置的模拟机器</translation>
    </message>
    <message>
      <source>only this GPU (repeatable)</source>
      <translation>只看这块 GPU（可重复）</translation>
    </message>
    <message>
      <source>print JSON</source>
      <translation>输出 JSON</translation>
    </message>
    <message>
      <source>print JSON lines of samples and guard events</source>
      <translation>以 JSON 行输出采样和守护事件</translation>
    </message>
    <message>
      <source>revert unless confirmed on the terminal within S seconds</source>
      <translation>若未在 S 秒内于终端确认则恢复</translation>
    </message>
    <message>
      <source>run simulated time X times faster</source>
      <translation>模拟时间加速 X 倍</translation>
    </message>
    <message>
      <source>seconds between samples, 0.5 to 5 (default 1)</source>
      <translation>采样间隔秒数，0.5 到 5（默认 1）</translation>
    </message>
    <message>
      <source>set the limit in watts</source>
      <translation>设置上限（瓦）</translation>
    </message>
    <message>
      <source>show or change a GPU's power limit (set reverts unless confirmed)</source>
      <translation>查看或修改 GPU 功耗上限（set 未确认则自动恢复）</translation>
    </message>
    <message>
      <source>simulated load in %%; a profile like 100:600,0 means 100 %% for 600 s, then 0 %%</source>
      <translation>模拟负载（%%）；如 100:600,0 表示 100 %% 持续 600 秒，然后 0 %%</translation>
    </message>
    <message>
      <source>stop after S seconds (of simulated time with --speed)</source>
      <translation>S 秒后停止（配合 --speed 时为模拟时间）</translation>
    </message>
    <message>
      <source>the new limit in watts</source>
      <translation>新的上限（瓦）</translation>
    </message>
    <message>
      <source>use a built-in simulated rig</source>
      <translation>使用内置的模拟机器</translation>
    </message>
    <message>
      <source>watch temperature, VRAM, power and utilisation; optionally guard the temperature</source>
      <translation>监视温度、显存、功耗和利用率；可选开启温度守护</translation>
    </message>
  </context>
  <context>
    <name>guard</name>
    <message>
      <source>Defaults: 85 °C, hold 10 s, step 10 %, hysteresis 10 °C, recovery 60 s.</source>
      <translation>默认值：85 °C，保持 10 秒，步长 10 %，回差 10 °C，恢复 60 秒。</translation>
    </message>
    <message>
      <source>GPU {gpu} cooled down to {temp} °C.</source>
      <translation>GPU {gpu} 已降温到 {temp} °C。</translation>
    </message>
    <message>
      <source>GPU {gpu} has been at {temp} °C, above {threshold} °C, for {held} s. This card's power limit cannot be changed: reduce the load or improve cooling.</source>
      <translation>GPU {gpu} 已在 {temp} °C（高于 {threshold} °C）持续 {held} 秒。此显卡的功耗上限无法修改：请降低负载或改善散热。</translation>
    </message>
    <message>
      <source>GPU {gpu} has been at {temp} °C, above {threshold} °C, for {held} s: lowering the power limit from {from_w} W to {to_w} W.</source>
      <translation>GPU {gpu} 已在 {temp} °C（高于 {threshold} °C）持续 {held} 秒：将功耗上限从 {from_w} W 降到 {to_w} W。</translation>
    </message>
    <message>
      <source>GPU {gpu} is still at {temp} °C but the power limit is already at its minimum of {floor} W. Reduce the load or improve cooling.</source>
      <translation>GPU {gpu} 仍为 {temp} °C，但功耗上限已是最小值 {floor} W。请降低负载或改善散热。</translation>
    </message>
    <message>
      <source>GPU {gpu} stayed below {cool} °C for {recover} s: raising the power limit from {from_w} W to {to_w} W.</source>
      <translation>GPU {gpu} 已低于 {cool} °C 持续 {recover} 秒：将功耗上限从 {from_w} W 提高到 {to_w} W。</translation>
    </message>
    <message>
      <source>GPU {gpu} stayed below {cool} °C for {recover} s: the power limit is back at your {to_w} W.</source>
      <translation>GPU {gpu} 已低于 {cool} °C 持续 {recover} 秒：功耗上限已恢复为您设定的 {to_w} W。</translation>
    </message>
    <message>
      <source>The guard could not change the power limit of GPU {gpu} ({detail}); it will only warn from now on.</source>
      <translation>守护无法修改 GPU {gpu} 的功耗上限（{detail}）；此后只发出警告。</translation>
    </message>
    <message>
      <source>The guard stopped: the power limit of GPU {gpu} goes back to your {to_w} W.</source>
      <translation>守护已停止：GPU {gpu} 的功耗上限恢复为您设定的 {to_w} W。</translation>
    </message>
    <message>
      <source>The hold time must be between 1 and 600 s.</source>
      <translation>保持时间必须在 1 到 600 秒之间。</translation>
    </message>
    <message>
      <source>The hysteresis must be between 1 and 40 °C.</source>
      <translation>回差必须在 1 到 40 °C 之间。</translation>
    </message>
    <message>
      <source>The recovery time must be between 1 and 3600 s.</source>
      <translation>恢复时间必须在 1 到 3600 秒之间。</translation>
    </message>
    <message>
      <source>The step must be between 1 % and 50 % of the default limit.</source>
      <translation>步长必须在默认上限的 1 % 到 50 % 之间。</translation>
    </message>
    <message>
      <source>The threshold must be between 40 and 110 °C.</source>
      <translation>阈值必须在 40 到 110 °C 之间。</translation>
    </message>
  </context>
  <context>
    <name>monitor</name>
    <message>
      <source>  [SIMULATED]</source>
      <translation>  [模拟]</translation>
    </message>
    <message>
      <source>--load and --speed only work with a simulated rig.</source>
      <translation>--load 和 --speed 只能用于模拟机器。</translation>
    </message>
    <message>
      <source>Add --simulate RIG (for example --simulate s80-linux).</source>
      <translation>请加上 --simulate RIG（例如 --simulate s80-linux）。</translation>
    </message>
    <message>
      <source>Cannot write the CSV log {path}: {detail}</source>
      <translation>无法写入 CSV 日志 {path}：{detail}</translation>
    </message>
    <message>
      <source>Choose a factor between 0.1 and 10000.</source>
      <translation>请选择 0.1 到 10000 之间的倍数。</translation>
    </message>
    <message>
      <source>Choose a file in a folder you can write to.</source>
      <translation>请选择一个可写文件夹中的文件。</translation>
    </message>
    <message>
      <source>Choose an interval between 0.5 and 5 seconds (default 1).</source>
      <translation>请选择 0.5 到 5 秒之间的间隔（默认 1）。</translation>
    </message>
    <message>
      <source>GPUs found: {gpus}.</source>
      <translation>找到的 GPU：{gpus}。</translation>
    </message>
    <message>
      <source>Give a percentage (100) or a profile such as 100:600,0 (100 % for 600 s, then 0 %).</source>
      <translation>请给出百分比（100）或如 100:600,0 的曲线（100 % 持续 600 秒，然后 0 %）。</translation>
    </message>
    <message>
      <source>Leave --duration out to run until Ctrl+C.</source>
      <translation>不加 --duration 则一直运行到按 Ctrl+C。</translation>
    </message>
    <message>
      <source>No GPU was found to monitor.</source>
      <translation>没有找到可监视的 GPU。</translation>
    </message>
    <message>
      <source>Run 'python main.py probe' to see what was detected.</source>
      <translation>运行 'python main.py probe' 查看检测结果。</translation>
    </message>
    <message>
      <source>The duration must be a positive number of seconds.</source>
      <translation>持续时间必须是正的秒数。</translation>
    </message>
    <message>
      <source>The load '{text}' is not understood.</source>
      <translation>无法理解负载 '{text}'。</translation>
    </message>
    <message>
      <source>The sampling interval {value} s is out of range.</source>
      <translation>采样间隔 {value} 秒超出范围。</translation>
    </message>
    <message>
      <source>The speed factor {value} is out of range.</source>
      <translation>加速倍数 {value} 超出范围。</translation>
    </message>
    <message>
      <source>There is no GPU {gpu}.</source>
      <translation>没有 GPU {gpu}。</translation>
    </message>
    <message>
      <source>guard: GPU {gpu} cannot change its power limit; the guard will only warn.</source>
      <translation>守护：GPU {gpu} 无法修改功耗上限；守护只会发出警告。</translation>
    </message>
    <message>
      <source>guard: {reason}</source>
      <translation>守护：{reason}</translation>
    </message>
    <message>
      <source>{time} GPU {gpu}: {state}</source>
      <translation>{time} GPU {gpu}：{state}</translation>
    </message>
    <message>
      <source>{time} GPU {gpu}: {temp} °C, {draw}/{limit} W, VRAM {used}/{total} GiB, {util} %, {clock} MHz, fan {fan} %</source>
      <translation>{time} GPU {gpu}：{temp} °C，{draw}/{limit} W，显存 {used}/{total} GiB，{util} %，{clock} MHz，风扇 {fan} %</translation>
    </message>
  </context>
  <context>
    <name>power</name>
    <message>
      <source>(simulated: the change lasts only while this command runs)</source>
      <translation>（模拟：此修改只在本命令运行期间有效）</translation>
    </message>
    <message>
      <source>Administrator rights were not granted.</source>
      <translation>未获得管理员权限。</translation>
    </message>
    <message>
      <source>Changing it is not supported: {reason}</source>
      <translation>不支持修改：{reason}</translation>
    </message>
    <message>
      <source>Changing the power limit needs administrator rights, and pkexec (polkit) is not installed.</source>
      <translation>修改功耗上限需要管理员权限，但未安装 pkexec（polkit）。</translation>
    </message>
    <message>
      <source>Choose a value between {min_w} W and {max_w} W.</source>
      <translation>请选择 {min_w} W 到 {max_w} W 之间的数值。</translation>
    </message>
    <message>
      <source>Confirm the password prompt to change the power limit.</source>
      <translation>请在密码提示中确认以修改功耗上限。</translation>
    </message>
    <message>
      <source>Example: python main.py power show --gpu 0</source>
      <translation>例如：python main.py power show --gpu 0</translation>
    </message>
    <message>
      <source>GPU {gpu} does not report a default power limit.</source>
      <translation>GPU {gpu} 没有报告默认功耗上限。</translation>
    </message>
    <message>
      <source>GPU {gpu} still reports {current} W after the write of {requested} W: the card ignored the change.</source>
      <translation>写入 {requested} W 后 GPU {gpu} 仍报告 {current} W：显卡忽略了此修改。</translation>
    </message>
    <message>
      <source>GPU {gpu}: power limit now {current} (asked {requested}).</source>
      <translation>GPU {gpu}：功耗上限现为 {current}（请求 {requested}）。</translation>
    </message>
    <message>
      <source>GPU {gpu}: power limit {current} (enforced {enforced}); default {default}, range {min_w} to {max_w}</source>
      <translation>GPU {gpu}：功耗上限 {current}（实际生效 {enforced}）；默认 {default}，范围 {min_w} 到 {max_w}</translation>
    </message>
    <message>
      <source>Install RigPilot in a folder whose path has no line breaks.</source>
      <translation>请把 RigPilot 安装在路径中不含换行符的文件夹里。</translation>
    </message>
    <message>
      <source>Install polkit (package 'pkexec' or 'polkit'), or run 'sudo python main.py power set ...'.</source>
      <translation>请安装 polkit（软件包 'pkexec' 或 'polkit'），或运行 'sudo python main.py power set ...'。</translation>
    </message>
    <message>
      <source>Keep the new power limit? Type y and Enter within {s} s, or it is reverted: </source>
      <translation>保留新的功耗上限吗？请在 {s} 秒内输入 y 并回车，否则将恢复：</translation>
    </message>
    <message>
      <source>Many laptops manage the GPU power limit themselves and discard writes (nvidia-smi still prints 'All done.'). Use the laptop's power profile instead.</source>
      <translation>许多笔记本自行管理 GPU 功耗上限并丢弃写入（nvidia-smi 仍会显示 'All done.'）。请改用笔记本的电源模式。</translation>
    </message>
    <message>
      <source>No GPU at PCI bus id {bus_id}.</source>
      <translation>PCI 总线 ID {bus_id} 上没有 GPU。</translation>
    </message>
    <message>
      <source>No telemetry source can change the power limit of {name}.</source>
      <translation>没有遥测来源可以修改 {name} 的功耗上限。</translation>
    </message>
    <message>
      <source>No telemetry source can read GPU {gpu}.</source>
      <translation>没有遥测来源可以读取 GPU {gpu}。</translation>
    </message>
    <message>
      <source>Not confirmed: GPU {gpu} went back to {current}.</source>
      <translation>未确认：GPU {gpu} 已恢复为 {current}。</translation>
    </message>
    <message>
      <source>Re-scan; the card may have been removed or renumbered.</source>
      <translation>请重新扫描；显卡可能已被移除或重新编号。</translation>
    </message>
    <message>
      <source>Reading the power limits failed: {detail}</source>
      <translation>读取功耗上限失败：{detail}</translation>
    </message>
    <message>
      <source>Run 'python -m probes.live.power_helper --help' as root to see why.</source>
      <translation>请以 root 身份运行 'python -m probes.live.power_helper --help' 查看原因。</translation>
    </message>
    <message>
      <source>Run RigPilot as root/Administrator to change the power limit.</source>
      <translation>请以 root/管理员身份运行 RigPilot 来修改功耗上限。</translation>
    </message>
    <message>
      <source>Run RigPilot as root/Administrator to change this card's power limit.</source>
      <translation>请以 root/管理员身份运行 RigPilot 来修改此显卡的功耗上限。</translation>
    </message>
    <message>
      <source>Say what to do: show, set or reset.</source>
      <translation>请指定操作：show、set 或 reset。</translation>
    </message>
    <message>
      <source>Set the limit explicitly with 'power set'.</source>
      <translation>请用 'power set' 明确设置上限。</translation>
    </message>
    <message>
      <source>The GPU has no PCI bus id, so the privileged helper cannot find it.</source>
      <translation>该 GPU 没有 PCI 总线 ID，特权助手无法找到它。</translation>
    </message>
    <message>
      <source>The Python path cannot be passed to the elevation prompt.</source>
      <translation>无法将 Python 路径传给提权提示。</translation>
    </message>
    <message>
      <source>The administrator prompt was not answered in time.</source>
      <translation>管理员授权提示未及时响应。</translation>
    </message>
    <message>
      <source>The power helper refused its arguments: {detail}</source>
      <translation>功耗助手拒绝了参数：{detail}</translation>
    </message>
    <message>
      <source>The privileged helper could not be started: {detail}</source>
      <translation>无法启动特权助手：{detail}</translation>
    </message>
    <message>
      <source>The privileged helper failed (exit code {rc}).</source>
      <translation>特权助手运行失败（退出码 {rc}）。</translation>
    </message>
    <message>
      <source>This card's power limit cannot be changed.</source>
      <translation>此显卡的功耗上限无法修改。</translation>
    </message>
    <message>
      <source>Try again and confirm the prompt.</source>
      <translation>请重试并确认提示。</translation>
    </message>
    <message>
      <source>Usage: power_helper --bus-id 0000:01:00.0 (--watts 200 | --reset)</source>
      <translation>用法：power_helper --bus-id 0000:01:00.0 (--watts 200 | --reset)</translation>
    </message>
    <message>
      <source>Use the vendor's own tool, if it has one.</source>
      <translation>如厂商有自带工具，请使用该工具。</translation>
    </message>
    <message>
      <source>{watts} W is not a valid power limit for GPU {gpu}.</source>
      <translation>{watts} W 不是 GPU {gpu} 的有效功耗上限。</translation>
    </message>
  </context>
  <context>
    <name>telemetry</name>
    <message>
      <source>Choose a value between {min_w} W and {max_w} W.</source>
      <translation>请选择 {min_w} W 到 {max_w} W 之间的数值。</translation>
    </message>
    <message>
      <source>The vendor library has no public call to change the power limit (simulated like the real Moore Threads MTML).</source>
      <translation>厂商库没有修改功耗上限的公开接口（按真实的摩尔线程 MTML 模拟）。</translation>
    </message>
    <message>
      <source>This GPU is not part of the simulated rig.</source>
      <translation>此 GPU 不属于该模拟机器。</translation>
    </message>
    <message>
      <source>{watts} W is outside the allowed range of this card.</source>
      <translation>{watts} W 超出此显卡允许的范围。</translation>
    </message>
  </context>
</TS>
