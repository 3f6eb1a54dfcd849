"""Dequantization kernels in torch that run on the device directly in the target dtype.

Each kernel takes the tensor's raw GGUF blocks as a ``uint8`` tensor of shape [n_blocks,
block_bytes] (already on the device: weights stay quantized there) and returns the values in
``dtype`` — no float32 detour (the ComfyUI-GGUF lesson: dequantizing through float32 and then
casting doubled the step time on 8 GB cards).

Block layouts and formulas follow ggml's reference dequantization (ggml-common.h structs,
ggml-quants.c ``dequantize_row_*``):
  Q8_0  34 B / 32: f16 d · int8 qs[32]                              y = d·q
  Q4_0  18 B / 32: f16 d · uint8 qs[16] (low nibbles = y[0..15],
                   high nibbles = y[16..31])                        y = d·(q − 8)
  Q4_K 144 B / 256: f16 d · f16 dmin · uint8 scales[12] (8 six-bit scales and 8 six-bit mins)
                   · uint8 qs[128]; 4 chunks of 32 bytes: low nibbles → sub-block 2c, high
                   nibbles → sub-block 2c+1                         y = (d·sc)·q − dmin·m
  Q6_K 210 B / 256: uint8 ql[128] · uint8 qh[64] · int8 scales[16] · f16 d; per half of 128:
                   y[l+32k] takes ql (low nibble of ql[l], ql[l+32], high nibble of ql[l],
                   ql[l+32] for k = 0..3) and bits 2k..2k+1 of qh[l]; 16 groups of 16 share
                   one scale                                        y = (d·sc)·(q − 32)
Speed (CPU numbers in bench/RESULTS-dequant.md): nibbles are split on int16/int32/int64 words
(several values per operation); codes reach the target dtype either through one fast int8/uint8
conversion (bfloat16, float32: codes placed in the high bits of a byte, 16·(n − 8) for Q4_0 and
4·(code − 32) for Q6_K, with the power of two folded into the scale) or, in float16 (whose int →
float16 conversion is ~4x slower on CPUs), through 16-bit "magic" bit patterns and one exact
subtraction; then one in-place multiply by the scale (and one subtraction of the Q4_K mins).
Few large temporaries, which matters on CPUs where fresh memory is slow to fault in.
In float32 the results are bit-identical to ggml's reference; in float16 Q8_0/Q4_0 are too, and
the K-quants round the per-block scale to the target dtype first (≤ 1 ulp off).
"""

from __future__ import annotations

import torch

# ggml type id -> (name, elements per block, bytes per block) for the types this module handles
SUPPORTED = {
    0: ("F32", 1, 4),
    1: ("F16", 1, 2),
    30: ("BF16", 1, 2),
    2: ("Q4_0", 32, 18),
    8: ("Q8_0", 32, 34),
    12: ("Q4_K", 256, 144),
    14: ("Q6_K", 256, 210),
}

_LOW = 0x0F0F0F0F
_LANES = 0x0001000100010001  # one in each 16-bit lane of an int64 word
_LOW16 = 0x000F000F000F000F  # low nibble of each 16-bit lane

# 16-bit "magic number" conversion of small unsigned codes: the int16 lane BITS | c read as
# ``dtype`` is exactly BASE + c (float16: 1024 + c for c < 1024, ulp 1 in [1024, 2048); bfloat16:
# 128 + c for c < 128), so an integer OR and one exact float subtraction replace a conversion
# kernel (torch's int8/uint8 -> float16 conversion is ~4x slower on CPUs than the others).
_MAGIC = {torch.float16: (0x6400, 1024.0), torch.bfloat16: (0x4300, 128.0)}


def _words(blocks: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    """Bytes [start, stop) of every block as int32 words (a contiguous copy: a few bytes/block)."""
    return blocks[:, start:stop].contiguous().view(torch.int32)


def _aligned(blocks: torch.Tensor, start: int, size: int) -> bool:
    """Whether byte ``start`` of every block can be read through a ``size``-byte view."""
    return (
        start % size == 0
        and blocks.stride(1) == 1
        and blocks.shape[1] % size == 0
        and blocks.stride(0) % size == 0
        and blocks.storage_offset() % size == 0
    )


def _half(blocks: torch.Tensor, start: int, dtype: torch.dtype) -> torch.Tensor:
    """The float16 field at byte ``start`` of every block as ``dtype``, shape [n_blocks, 1].

    Read through a strided float16 view of the blocks when the bytes are 2-aligned (no copy at
    all for float16), else through a contiguous copy of the two bytes."""
    if _aligned(blocks, start, 2):
        h = blocks.view(torch.float16)[:, start // 2 : start // 2 + 1]
    else:
        h = blocks[:, start : start + 2].contiguous().view(torch.float16)
    return h.to(dtype)


def _lanes(blocks: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    """Bytes [start, stop) of every block widened to int16 lanes, viewed as int64 words of 4."""
    return blocks[:, start:stop].to(torch.int16).view(torch.int64)


def _split_nibbles(w: torch.Tensor, bits: int) -> torch.Tensor:
    """int64 words of byte-valued int16 lanes, shape [..., k] -> [..., 2, k]: lanes ``bits | low
    nibble`` then lanes ``bits | high nibble`` (the 16-bit magic patterns of the nibbles)."""
    q = torch.empty(w.shape[:-1] + (2, w.shape[-1]), dtype=torch.int64, device=w.device)
    q.select(-2, 0).copy_(w)
    torch.bitwise_right_shift(w, 4, out=q.select(-2, 1))
    return q.bitwise_and_(_LOW16).bitwise_or_(bits * _LANES)


def _expand_lanes(scale: torch.Tensor, width: int) -> torch.Tensor:
    """16-bit float scales [nb, g] -> materialized [nb, g, width] (width a multiple of 4).

    On CPUs torch only vectorizes a broadcast multiply whose rows span at least 64 bytes; Q6_K's
    groups of 16 half-precision values are 32 bytes, so the scalar loop made the multiply ~4x
    slower than a contiguous one. The copy is made on int64 words of four 16-bit lanes."""
    nb, g = scale.shape
    s = scale.view(torch.int16).to(torch.int64).bitwise_and_(0xFFFF).mul_(_LANES)
    return s[:, :, None].expand(nb, g, width // 4).contiguous().view(scale.dtype).view(nb, g, width)


def dequant_q8_0(blocks: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    d = _half(blocks, 0, dtype)
    q = blocks[:, 2:34].view(torch.int8)
    if dtype == torch.float16:
        # int16 lanes 0x6400 | (q + 128) read as float16 are exactly 1024 + 128 + q
        return q.to(torch.int16).add_(0x6480).view(torch.float16).sub_(1152.0).mul_(d)
    return q.to(dtype).mul_(d)  # one conversion pass, one in-place multiply


def _nibbles_x16(blocks: torch.Tensor, start: int) -> torch.Tensor:
    """The 16 packed bytes at ``start`` of every block → int8 [n_blocks, 32] holding 16·(n − 8) for
    every nibble n, low nibbles first: a nibble in the high half of a byte with its top bit
    flipped reads as int8 16·(n − 8). Works on int16 lanes (two bytes), read through a strided
    view of the blocks when the bytes are 2-aligned."""
    nb = blocks.shape[0]
    if _aligned(blocks, start, 2):
        qs = blocks.view(torch.int16)[:, start // 2 : start // 2 + 8]
    else:
        qs = blocks[:, start : start + 16].contiguous().view(torch.int16)
    out = torch.empty(nb, 2, 8, dtype=torch.int16, device=blocks.device)
    torch.bitwise_left_shift(qs, 4, out=out[:, 0])  # low nibbles into the high halves
    torch.bitwise_and(qs, -0x0F10, out=out[:, 1])  # & 0xF0F0: high nibbles in place
    # & 0xF0F0…, ^ 0x8080… on int64 words of the whole output
    out.view(torch.int64).bitwise_and_(-0x0F0F0F0F0F0F0F10).bitwise_xor_(-0x7F7F7F7F7F7F7F80)
    return out.view(torch.int8).view(nb, 32)


def dequant_q4_0(blocks: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    nb = blocks.shape[0]
    d = _half(blocks, 0, dtype)
    if dtype == torch.float16:
        bits, base = _MAGIC[dtype]
        q = _split_nibbles(_lanes(blocks, 2, 18), bits)  # [nb, lo/hi, 4 words]
        return q.view(torch.int16).view(nb, 32).view(dtype).sub_(base + 8).mul_(d)
    # bfloat16, float32: one fast int8 conversion of 16·(n − 8), times d/16 (exact: a power of
    # two; 16·(n − 8)·(d/16) is rounded once, like (n − 8)·d)
    return _nibbles_x16(blocks, 2).to(dtype).mul_(d * 0.0625)


def _k4_codes(blocks: torch.Tensor) -> torch.Tensor:
    """The 8 six-bit scales and 8 six-bit mins of Q4_K blocks (ggml get_scale_min_k4) as uint8
    [2, n_blocks, 8] (scales, mins), computed on the three int32 words of the 12 packed bytes:
    j < 4: scale = byte j & 63, min = byte j+4 & 63; j >= 4: scale = (byte j+4 & 0xF) | (byte j−4
    >> 6) << 4, min = (byte j+4 >> 4) | (byte j >> 6) << 4."""
    nb = blocks.shape[0]
    if _aligned(blocks, 4, 4):  # a view, no copy
        w = blocks.view(torch.int32)[:, 1:4]  # [nb, 3]
    else:
        w = _words(blocks, 4, 16)
    out = torch.empty(2, nb, 2, dtype=torch.int32, device=blocks.device)  # [sc/mn, nb, j<4 / j>=4]
    w01 = w[:, 0:2].t()  # bytes 0-3 (scales), 4-7 (mins)
    torch.bitwise_and(w01, 0x3F3F3F3F, out=out[:, :, 0])
    torch.bitwise_right_shift(w01, 2, out=out[:, :, 1]).bitwise_and_(0x30303030)
    out[0, :, 1].bitwise_or_(w[:, 2] & _LOW)
    out[1, :, 1].bitwise_or_((w[:, 2] >> 4) & _LOW)
    return out.view(torch.uint8).view(2, nb, 8)


def _k4_scale_min(
    blocks: torch.Tensor, dtype: torch.dtype, low_x16: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """d·sc and dmin·m of Q4_K blocks as ``dtype`` [n_blocks, 8] each, every product rounded once
    (codes and the float16 d, dmin are exact in ``dtype``); with ``low_x16`` the even sub-blocks
    (the low nibbles) get 16·d·sc instead.

    All on contiguous [2, n_blocks, 8] tensors: torch's CPU loops run scalar on rows of 8, which
    made ``codes[:, :, :8] * d[:, :, None]`` cost as much as a full pass over the output. The
    codes become ``dtype`` through the 16-bit magic patterns (or a conversion for float32), d and
    dmin are spread over 8 lanes through int64 words of four 16-bit (two 32-bit) lanes."""
    nb = blocks.shape[0]
    codes = _k4_codes(blocks)
    if _aligned(blocks, 0, 2):
        dh = blocks.view(torch.float16)[:, 0:2]  # d, dmin: a strided view
    else:
        dh = blocks[:, 0:4].contiguous().view(torch.float16)
    d = dh.to(dtype)
    if dtype in _MAGIC:
        bits, base = _MAGIC[dtype]
        c = codes.to(torch.int16).view(torch.int64)  # [2, nb, 2] words of 4 lanes
        if low_x16:  # 16·sc <= 1008: still exact
            c[0].add_(c[0].bitwise_and(0x0000FFFF0000FFFF).mul_(15))
        c = c.bitwise_or_(bits * _LANES).view(torch.int16).view(dtype).sub_(base)
        dw = d.view(torch.int16).to(torch.int64).bitwise_and_(0xFFFF).mul_(_LANES)
    else:
        c = codes.to(dtype)
        if low_x16:
            c[0].view(nb, 4, 2)[:, :, 0].mul_(16.0)
        dw = d.view(torch.int32).to(torch.int64).bitwise_and_(0xFFFFFFFF).mul_(0x100000001)
    words = c.element_size()  # int64 words per 8 values
    dexp = dw.t()[:, :, None].expand(2, nb, words).contiguous().view(dtype).view(2, nb, 8)
    sm = c.view(2, nb, 8).mul_(dexp)
    return sm[0], sm[1]


# float16 in [64, 128) has ulp 1/16, so the int16 lane 0x5400 | b (a byte b) read as float16 is
# exactly 64 + b/16: masked with 0x540F it is 64 + low nibble/16, with 0x54F0 it is 64 + high
# nibble — both nibbles by one AND each, no shift; the low sub-blocks then take 16·d·sc as scale
# ((n/16)·(16·s) = n·s: the one rounding of the multiply is the same). Limit: 16·d·sc overflows
# float16 when d·sc > 4094, i.e. only for blocks whose values reach 15·4094 ≈ 61400 (float16 max
# 65504); those would come out inf/nan instead of finite.
_OR54 = 0x5400 * _LANES
_NIB_LO = 0x540F * _LANES
_NIB_HI = 0x54F0 * _LANES


def dequant_q4_k(blocks: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    nb = blocks.shape[0]
    scale, minv = _k4_scale_min(blocks, dtype, low_x16=dtype == torch.float16)
    scale, minv = scale[:, :, None], minv[:, :, None]  # [nb, 8, 1] each
    if dtype == torch.float16:
        w = _lanes(blocks, 16, 144).bitwise_or_(_OR54).view(nb, 4, 8)  # 4 chunks of 32 bytes
        q = torch.empty(nb, 4, 2, 8, dtype=torch.int64, device=blocks.device)  # [chunk, lo/hi]
        torch.bitwise_and(w, _NIB_LO, out=q[:, :, 0])
        torch.bitwise_and(w, _NIB_HI, out=q[:, :, 1])
        q = q.view(torch.int16).view(nb, 8, 32).view(dtype).sub_(64.0)
        return q.mul_(scale).sub_(minv).view(nb, 256)
    w = _words(blocks, 16, 144).view(nb, 4, 8)  # 4 chunks of 32 bytes
    q = torch.empty(nb, 4, 2, 8, dtype=torch.int32, device=blocks.device)
    torch.bitwise_and(w, _LOW, out=q[:, :, 0])
    torch.bitwise_right_shift(w, 4, out=q[:, :, 1])
    q = q.bitwise_and_(_LOW).view(torch.uint8).view(nb, 8, 32)  # sub-block 2c = low nibbles, 2c+1 = high
    return q.to(dtype).mul_(scale).sub_(minv).view(nb, 256)


def dequant_q6_k(blocks: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    nb = blocks.shape[0]
    ql = _words(blocks, 0, 128).view(nb, 2, 2, 8)  # [half, 32-byte part, word]
    qh = _words(blocks, 128, 192).view(nb, 2, 1, 8)  # [half, -, word]
    # d·sc rounded once to dtype (small [nb, 16] tensors: float32 here is no detour)
    d = _half(blocks, 208, torch.float32)
    if dtype != torch.float16:
        d = d * 0.25  # the codes below are 4·(code − 32)
    scale = torch.mul(blocks[:, 192:208].view(torch.int8).to(torch.float32), d).to(dtype)
    if dtype != torch.float32 and blocks.device.type == "cpu":
        scale = _expand_lanes(scale, 16)  # [nb, 16, 16], see _expand_lanes
    else:
        scale = scale[:, :, None]  # [nb, 16, 1]
    q = torch.empty(nb, 2, 2, 2, 8, dtype=torch.int32, device=blocks.device)  # [half, lo/hi, part]
    torch.bitwise_and(ql, _LOW, out=q[:, :, 0])
    torch.bitwise_right_shift(ql, 4, out=q[:, :, 1]).bitwise_and_(_LOW)
    q = q.view(nb, 2, 4, 8)  # quarter k = lo/hi·2 + part
    shifts = torch.tensor([0, 2, 4, 6], dtype=torch.int32, device=blocks.device)[None, None, :, None]
    high = torch.bitwise_right_shift(qh, shifts).bitwise_and_(0x03030303).bitwise_left_shift_(4)
    q.bitwise_or_(high)  # 6-bit codes, one per byte
    if dtype == torch.float16:
        bits, base = _MAGIC[dtype]
        v = q.view(torch.uint8).view(nb, 16, 16).to(torch.int16).bitwise_or_(bits)
        return v.view(dtype).sub_(base + 32).mul_(scale).view(nb, 256)
    # a 6-bit code in the top bits of a byte with its top bit flipped reads as int8 4·(code − 32)
    # (no carry between bytes: codes < 64); one fast conversion, times d·sc/4 (exact: a power of
    # two, rounded once like (code − 32)·d·sc)
    q = q.bitwise_left_shift_(2).bitwise_xor_(-0x7F7F7F80).view(torch.int8)  # ^ 0x80808080
    return q.view(nb, 16, 16).to(dtype).mul_(scale).view(nb, 256)


KERNELS = {2: dequant_q4_0, 8: dequant_q8_0, 12: dequant_q4_k, 14: dequant_q6_k}


def dequantize(raw: torch.Tensor, ggml_type: int, shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    """Values of a GGUF tensor (raw bytes ``raw``: uint8 on the device) as ``dtype`` in ``shape``."""
    if ggml_type not in SUPPORTED:
        raise KeyError(ggml_type)
    _name, block, size = SUPPORTED[ggml_type]
    if ggml_type == 0:
        values = raw.view(torch.float32)
    elif ggml_type == 1:
        values = raw.view(torch.float16)
    elif ggml_type == 30:
        values = raw.view(torch.bfloat16)
    else:
        values = KERNELS[ggml_type](raw.view(-1, size), dtype)
    return values.to(dtype).reshape(shape)
