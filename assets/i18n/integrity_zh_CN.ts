<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>problems</name>
    <message>
      <source>The smoke-test model file does not match its checksum: its SHA-256 is {actual}, the expected one is {expected}.</source>
      <translation>冒烟测试模型文件与其校验和不符：其 SHA-256 为 {actual}，应为 {expected}。</translation>
    </message>
  </context>
</TS>
