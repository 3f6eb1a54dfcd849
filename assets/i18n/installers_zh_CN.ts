<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>installers</name>
    <message>
      <source>Check the network connection and proxy, or choose a mirror; each request waited at most {timeout} s.</source>
      <translation>请检查网络连接和代理，或选择一个镜像；每个请求最多等待 {timeout} 秒。</translation>
    </message>
    <message>
      <source>Check the package name, and that the index URL is a simple index (it usually ends in /simple or, for PyTorch, /whl/&lt;variant&gt;).</source>
      <translation>请检查包名，并确认索引地址是一个 simple 索引（通常以 /simple 结尾，PyTorch 的则是 /whl/&lt;variant&gt;）。</translation>
    </message>
    <message>
      <source>Could not read the package index ({detail}).</source>
      <translation>无法读取软件包索引（{detail}）。</translation>
    </message>
    <message>
      <source>Download {expected} (from the project's package index or release page) into {folder}, or give a package index as well.</source>
      <translation>请（从该项目的软件包索引或发布页面）下载 {expected} 到 {folder}，或同时指定一个软件包索引。</translation>
    </message>
    <message>
      <source>Download {expected} from {where} (or the vendor's release page) into a wheelhouse folder and pass it with --wheelhouse, or choose a profile built for {platform}.</source>
      <translation>请从 {where}（或厂商的发布页面）下载 {expected} 到一个本地 wheel 文件夹，并用 --wheelhouse 指定它，或选择一个适用于 {platform} 的配置。</translation>
    </message>
    <message>
      <source>Give the Python version as 3.X and the OS as linux, windows or darwin (x86_64 or arm64).</source>
      <translation>请把 Python 版本写成 3.X，操作系统写成 linux、windows 或 darwin（x86_64 或 arm64）。</translation>
    </message>
    <message>
      <source>Pin a version that exists, or check that the profile's index URL is the one that holds this build.</source>
      <translation>请固定一个确实存在的版本，或确认配置中的索引地址就是提供该构建的索引。</translation>
    </message>
    <message>
      <source>Pin the build with its local label (e.g. {project}=={example}), or use the index that holds only the wanted build.</source>
      <translation>请用本地版本标签固定构建（例如 {project}=={example}），或使用只提供所需构建的索引。</translation>
    </message>
    <message>
      <source>The wheelhouse {folder} has no file of {project} {version} for Python {python} on {platform}: expected a file named like {expected}. Files of {project} there: {files}.</source>
      <translation>本地 wheel 文件夹 {folder} 中没有适用于 Python {python}、{platform} 的 {project} {version} 文件：应有一个名称类似 {expected} 的文件。其中现有的 {project} 文件：{files}。</translation>
    </message>
    <message>
      <source>Unknown target: Python {python} on {os} {machine}.</source>
      <translation>未知的目标环境：{os} {machine} 上的 Python {python}。</translation>
    </message>
    <message>
      <source>Use Python {pythons}, which the existing files are built for, or download {expected} from {where} into a wheelhouse folder and pass it with --wheelhouse.</source>
      <translation>请改用现有文件所支持的 Python {pythons}，或从 {where} 下载 {expected} 到一个本地 wheel 文件夹，并用 --wheelhouse 指定它。</translation>
    </message>
    <message>
      <source>Write the exact version the profile means, with == and without a wildcard.</source>
      <translation>请写出配置所指的确切版本，使用 ==，不要使用通配符。</translation>
    </message>
    <message>
      <source>{project} has no version {version} on {sources}. Nearest versions there: {nearest}.</source>
      <translation>{sources} 上没有 {project} 的 {version} 版本。那里最接近的版本：{nearest}。</translation>
    </message>
    <message>
      <source>{project} was not found on {sources}.</source>
      <translation>在 {sources} 上找不到 {project}。</translation>
    </message>
    <message>
      <source>{project} {version} exists, but has no file for Python {python} ({cp}) on {platform}. Files that exist: {files}.</source>
      <translation>{project} {version} 存在，但没有适用于 {platform} 上 Python {python}（{cp}）的文件。现有文件：{files}。</translation>
    </message>
    <message>
      <source>{requirement} is not an exact pin: the check needs name==version (e.g. torch==2.7.1+cu118).</source>
      <translation>{requirement} 不是确切的版本固定：检查需要 名称==版本 的形式（例如 torch==2.7.1+cu118）。</translation>
    </message>
    <message>
      <source>{requirement} matches several builds on {source}: {versions}. RigPilot does not pick one silently.</source>
      <translation>{requirement} 在 {source} 上匹配到多个构建：{versions}。RigPilot 不会悄悄替您选择其中一个。</translation>
    </message>
  </context>
</TS>
