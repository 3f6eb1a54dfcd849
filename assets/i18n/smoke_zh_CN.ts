<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>problems</name>
  <message><source>The generated image contains NaN values.</source><translation>生成的图像包含 NaN 值。</translation></message>
  <message><source>The device computed invalid numbers: try --dtype fp32 or fp16, update the driver, or check that torch matches the driver. If the model file was changed, restore it.</source><translation>设备算出了无效数值：请尝试 --dtype fp32 或 fp16，更新驱动，或检查 torch 与驱动是否匹配。如果模型文件被改动过，请恢复它。</translation></message>
  <message><source>The generated image is black.</source><translation>生成的图像是全黑的。</translation></message>
  <message><source>This is the classic symptom of a torch/driver mismatch or broken half-precision kernels: try --dtype fp32 and install the torch build the Match page recommends.</source><translation>这是 torch 与驱动不匹配或半精度内核损坏的典型症状：请尝试 --dtype fp32，并安装“匹配”页推荐的 torch 版本。</translation></message>
  <message><source>The image differs from the CPU float32 reference more than rounding explains.</source><translation>图像与 CPU float32 参考图的差异超出了舍入误差所能解释的范围。</translation></message>
  <message><source>The device's kernels give wrong results: update the driver and the vendor torch build, then run the test again with --dtype fp32 to see whether half precision is the cause.</source><translation>设备内核计算结果错误：请更新驱动和厂商的 torch 版本，然后用 --dtype fp32 重新测试，看是否是半精度导致的。</translation></message>
  <message><source>This torch build has no kernels for this card's architecture.</source><translation>此 torch 版本没有为这张显卡的架构编译内核。</translation></message>
  <message><source>Install a torch build compiled for your GPU (see the Match page); for ROCm, an HSA_OVERRIDE_GFX_VERSION setting may be needed.</source><translation>请安装为你的 GPU 编译的 torch 版本（见“匹配”页）；ROCm 可能需要设置 HSA_OVERRIDE_GFX_VERSION。</translation></message>
  <message><source>The device ran out of memory.</source><translation>设备显存不足。</translation></message>
  <message><source>Run with a lower --resolution, close other programs using the GPU, or start ComfyUI with --lowvram.</source><translation>请降低 --resolution，关闭其他占用 GPU 的程序，或用 --lowvram 启动 ComfyUI。</translation></message>
  <message><source>Some steps took far longer than the others: video memory may be spilling into system memory.</source><translation>部分步骤耗时远超其他步骤：显存可能正在溢出到系统内存。</translation></message>
  <message><source>Lower the resolution or use --lowvram; on Windows, set the driver's 'CUDA sysmem fallback policy' to 'prefer no sysmem fallback'.</source><translation>请降低分辨率或使用 --lowvram；在 Windows 上，把驱动的“CUDA 系统内存回退策略”设为“首选无系统内存回退”。</translation></message>
  <message><source>bfloat16 was requested but the device does not support it; the test fell back to another precision.</source><translation>请求了 bfloat16，但设备不支持；测试已回退到其他精度。</translation></message>
  <message><source>Use fp16 for this card (e.g. ComfyUI --force-fp16); bf16 needs newer hardware.</source><translation>这张卡请使用 fp16（例如 ComfyUI --force-fp16）；bf16 需要更新的硬件。</translation></message>
  <message><source>The selected Python cannot import torch.</source><translation>所选的 Python 无法导入 torch。</translation></message>
  <message><source>Choose the interpreter of the environment you installed (its venv's python), or install torch there from the Install page.</source><translation>请选择你安装的环境的解释器（其 venv 中的 python），或在“安装”页为它安装 torch。</translation></message>
  <message><source>The requested device is not available to this torch build.</source><translation>此 torch 版本无法使用所请求的设备。</translation></message>
  <message><source>Check that the driver is loaded and that this interpreter has the vendor's torch build (CUDA, ROCm, torch_musa, XPU); run 'python main.py probe' to see what is installed.</source><translation>请检查驱动是否已加载，以及该解释器是否装有厂商的 torch 版本（CUDA、ROCm、torch_musa、XPU）；运行 'python main.py probe' 查看已安装的内容。</translation></message>
  <message><source>The smoke-test model file is damaged or not a RigPilot smoke model.</source><translation>冒烟测试模型文件已损坏，或不是 RigPilot 冒烟测试模型。</translation></message>
  <message><source>Reinstall RigPilot or restore assets/smoke/rigpilot-smoke.gguf from the release.</source><translation>请重新安装 RigPilot，或从发行包恢复 assets/smoke/rigpilot-smoke.gguf。</translation></message>
  <message><source>The device failed while generating.</source><translation>设备在生成过程中出错。</translation></message>
  <message><source>Read the detail below; run the test with --device cpu to check that the rest of the stack works.</source><translation>请查看下方详情；用 --device cpu 运行测试，确认其余部分是否正常。</translation></message>
  <message><source>The smoke test did not finish within {timeout} s and was stopped.</source><translation>冒烟测试未在 {timeout} 秒内完成，已被停止。</translation></message>
  <message><source>A hung driver or an extremely slow device: try --device cpu, fewer --steps, or reboot.</source><translation>驱动卡死或设备极慢：请尝试 --device cpu、减少 --steps，或重启。</translation></message>
  <message><source>The smoke-test process ended without a result (exit code {rc}).</source><translation>冒烟测试进程结束但没有给出结果（退出码 {rc}）。</translation></message>
  <message><source>Run the command shown below in a terminal to see its full output.</source><translation>请在终端中运行下方显示的命令以查看完整输出。</translation></message>
  <message><source>The smoke test was cancelled.</source><translation>冒烟测试已取消。</translation></message>
</context>
<context><name>smoke</name>
  <message><source>pass</source><translation>通过</translation></message>
  <message><source>warning</source><translation>警告</translation></message>
  <message><source>fail</source><translation>失败</translation></message>
  <message><source>Unknown result code {code}.</source><translation>未知的结果代码 {code}。</translation></message>
  <message><source>n/a</source><translation>无</translation></message>
  <message><source>Verdict: {verdict}</source><translation>结论：{verdict}</translation></message>
  <message><source>Device: {device} ({name}), {dtype} — {reason}</source><translation>设备：{device}（{name}），{dtype} — {reason}</translation></message>
  <message><source>Python: {python} · torch {torch}</source><translation>Python：{python} · torch {torch}</translation></message>
  <message><source>Speed: {sps} steps/s over {steps} steps ({res}×{res} px), total {total} s</source><translation>速度：{sps} 步/秒，共 {steps} 步（{res}×{res} 像素），总计 {total} 秒</translation></message>
  <message><source>Dequantization: {gbps} GB/s · peak device memory: {mem}</source><translation>反量化：{gbps} GB/s · 设备显存峰值：{mem}</translation></message>
  <message><source>Against the CPU float32 image: PSNR {psnr} dB, max abs error {err}</source><translation>与 CPU float32 图像相比：PSNR {psnr} dB，最大绝对误差 {err}</translation></message>
  <message><source>Image: {path}</source><translation>图像：{path}</translation></message>
  <message><source>Running on {device} ({name}) in {dtype}…</source><translation>正在 {device}（{name}）上以 {dtype} 运行…</translation></message>
  <message><source>step {step}/{steps}: {seconds} s</source><translation>第 {step}/{steps} 步：{seconds} 秒</translation></message>
  <message><source>Cancelled.</source><translation>已取消。</translation></message>
  <message><source>detail: {detail}</source><translation>详情：{detail}</translation></message>
  <message><source>hint: {hint}</source><translation>提示：{hint}</translation></message>
  <message><source>command: {command}</source><translation>命令：{command}</translation></message>
  <message><source>No smoke test recorded yet ({path}).</source><translation>尚无冒烟测试记录（{path}）。</translation></message>
  <message><source>Smoke-test history: {n} run(s), newest last, in {path}</source><translation>冒烟测试历史：共 {n} 次，最新的在最后，位于 {path}</translation></message>
  <message><source>{when}  {verdict}  {device} ({dtype}) · {sps} steps/s · PSNR {psnr} dB · {python}</source><translation>{when}  {verdict}  {device}（{dtype}）· {sps} 步/秒 · PSNR {psnr} dB · {python}</translation></message>
  <message><source>The history file was damaged; it was kept as {path} and a new history starts.</source><translation>历史记录文件已损坏；已将其保留为 {path}，并开始新的历史记录。</translation></message>
  <message><source>Could not save the history to {path}: {error}</source><translation>无法将历史记录保存到 {path}：{error}</translation></message>
</context>
<context><name>cli</name>
  <message><source>run a small quantized image generation on the GPU and check it against the CPU</source><translation>在 GPU 上运行一次小型量化图像生成，并与 CPU 结果比对</translation></message>
  <message><source>interpreter of the environment to test (default: this one)</source><translation>要测试的环境的解释器（默认：当前解释器）</translation></message>
  <message><source>auto, cpu, cuda[:N], musa[:N], xpu[:N], mps or directml (default auto)</source><translation>auto、cpu、cuda[:N]、musa[:N]、xpu[:N]、mps 或 directml（默认 auto）</translation></message>
  <message><source>precision (default: bf16 where supported, else fp16; fp32 on the CPU)</source><translation>精度（默认：支持时用 bf16，否则 fp16；CPU 上用 fp32）</translation></message>
  <message><source>sampler steps (default 20)</source><translation>采样步数（默认 20）</translation></message>
  <message><source>image size in pixels, a multiple of 4 (default 32)</source><translation>图像尺寸（像素），须为 4 的倍数（默认 32）</translation></message>
  <message><source>GGUF model file (default: built in)</source><translation>GGUF 模型文件（默认：内置模型）</translation></message>
  <message><source>folder for the generated image</source><translation>生成图像的保存目录</translation></message>
  <message><source>stop the test after S seconds (default 300)</source><translation>S 秒后停止测试（默认 300）</translation></message>
  <message><source>print the rigpilot.smoke/1 result JSON</source><translation>输出 rigpilot.smoke/1 结果 JSON</translation></message>
  <message><source>list the earlier runs (this command's and the Verify page's) instead of running</source><translation>列出之前的运行记录（本命令和“验证”页的），而不运行测试</translation></message>
  <message><source>--steps must be between 1 and 1000.</source><translation>--steps 必须在 1 到 1000 之间。</translation></message>
  <message><source>The default is 20.</source><translation>默认值为 20。</translation></message>
  <message><source>--resolution must be a multiple of 4 from 8 to 4096.</source><translation>--resolution 必须是 8 到 4096 之间 4 的倍数。</translation></message>
  <message><source>The default is 32; try 256 or 512 to exercise video memory.</source><translation>默认值为 32；可尝试 256 或 512 来考验显存。</translation></message>
</context>
<context><name>VerifyPage</name>
    <message>
      <source>Installed environments</source>
      <translation>已安装的环境</translation>
    </message>
  <message><source>Python interpreter</source><translation>Python 解释器</translation></message>
  <message><source>Device</source><translation>设备</translation></message>
  <message><source>Precision</source><translation>精度</translation></message>
  <message><source>Sampler steps</source><translation>采样步数</translation></message>
  <message><source>Resolution (px)</source><translation>分辨率（像素）</translation></message>
  <message><source>Browse…</source><translation>浏览…</translation></message>
  <message><source>Run smoke test</source><translation>运行冒烟测试</translation></message>
  <message><source>Cancel</source><translation>取消</translation></message>
  <message><source>Quantized generation smoke test</source><translation>量化生成冒烟测试</translation></message>
  <message><source>Earlier runs</source><translation>历史运行记录</translation></message>
  <message><source>Generated on the device</source><translation>设备生成的图像</translation></message>
  <message><source>CPU float32 reference</source><translation>CPU float32 参考图</translation></message>
  <message><source>Choose the Python interpreter</source><translation>选择 Python 解释器</translation></message>
  <message><source>When</source><translation>时间</translation></message>
  <message><source>Python</source><translation>Python</translation></message>
  <message><source>Verdict</source><translation>结论</translation></message>
  <message><source>Steps/s</source><translation>步/秒</translation></message>
  <message><source>PSNR (dB)</source><translation>PSNR (dB)</translation></message>
  <message><source>Codes</source><translation>代码</translation></message>
  <message><source>Runs a small quantized (GGUF Q4/Q8/K) image model on the device and compares the picture with the CPU.</source><translation>在设备上运行一个小型量化（GGUF Q4/Q8/K）图像模型，并将生成的图片与 CPU 结果比对。</translation></message>
  <message><source>Cancelling…</source><translation>正在取消…</translation></message>
  <message><source>Cancelled.</source><translation>已取消。</translation></message>
  <message><source>Starting {python}…</source><translation>正在启动 {python}…</translation></message>
  <message><source>The smoke test could not run: {error}</source><translation>冒烟测试无法运行：{error}</translation></message>
  <message><source>Computing the CPU float32 reference…</source><translation>正在计算 CPU float32 参考图…</translation></message>
  <message><source>The device produced the same picture as the CPU.</source><translation>设备生成的图片与 CPU 一致。</translation></message>
  <message><source>Step times (ms): {times}</source><translation>每步耗时（毫秒）：{times}</translation></message>
  <message><source>Could not save the history: {error}</source><translation>无法保存历史记录：{error}</translation></message>
  <message><source>Hint</source><translation>提示</translation></message>
  <message><source>Speed: {sps} steps/s · total {total} s</source><translation>速度：{sps} 步/秒 · 总计 {total} 秒</translation></message>
  <message><source>Dequantization: {gbps} GB/s · peak memory: {mem}</source><translation>反量化：{gbps} GB/s · 显存峰值：{mem}</translation></message>
  <message><source>Against the CPU: PSNR {psnr} dB, max abs error {err}</source><translation>与 CPU 相比：PSNR {psnr} dB，最大绝对误差 {err}</translation></message>
  <message><source>Running on {device} ({name}) in {dtype}.</source><translation>正在 {device}（{name}）上以 {dtype} 运行。</translation></message>
  <message><source>Device: {device} ({name}), {dtype} — {reason}</source><translation>设备：{device}（{name}），{dtype} — {reason}</translation></message>
</context>
</TS>
