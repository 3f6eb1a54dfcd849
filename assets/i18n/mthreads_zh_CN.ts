<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>telemetry</name>
    <message>
      <source>Moore Threads cards cannot have their power limit changed: the MTML management library (2.2.0) has no public power-limit call and mthreads-gmi has no option for it. RigPilot only watches this card; the thermal guard will warn instead of lowering the limit.</source>
      <translation>摩尔线程显卡无法修改功耗上限：MTML 管理库（2.2.0）没有公开的功耗上限接口，mthreads-gmi 也没有对应选项。RigPilot 只能监视这张卡；温度保护会发出警告，而不会降低功耗上限。</translation>
    </message>
  </context>
</TS>
