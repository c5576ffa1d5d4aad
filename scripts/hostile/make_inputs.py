#!/usr/bin/env python3
"""Crafts the hostile inputs of issue 11 into a scratch folder (python3 standard library only).

Usage: make_inputs.py OUT_DIR GOOD_MODEL

GOOD_MODEL is a small model that latentlab-cli trained (the model-file variants are made
from it, so their headers and weights are real ones). Every file is named after what is
wrong with it; scripts/hostile.sh runs latentlab-cli on each.
"""
import gzip
import json
import os
import random
import struct
import sys
import zlib

MAGIC = b"LATENTLAB-MODEL\n"


# ---------------------------------------------------------------- model files

def read_model(path):
    data = open(path, "rb").read()
    if not data.startswith(MAGIC):
        sys.exit(f"make_inputs: {path} is not a LatentLab model file")
    (length,) = struct.unpack_from("<Q", data, len(MAGIC))
    start = len(MAGIC) + 8
    header_text = data[start:start + length]
    return json.loads(header_text), data[start + length:]


def model_bytes(header, weights, header_text=None):
    """A model file: magic, little-endian 64-bit header length, header, weights."""
    text = header_text if header_text is not None else json.dumps(header).encode()
    return MAGIC + struct.pack("<Q", len(text)) + text + weights


def with_crc(header, weights):
    header = json.loads(json.dumps(header))
    header["weights"]["bytes"] = len(weights)
    header["weights"]["crc32"] = zlib.crc32(weights) & 0xFFFFFFFF
    return header


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def make_models(out, good_path):
    header, weights = read_model(good_path)
    good = model_bytes(header, weights)
    latent = header["architecture"]["latent"]
    header_end = len(MAGIC) + 8 + len(json.dumps(header).encode())

    write(out, "m-not-a-model.latentlab", b"hello, this is a text file and not a model\n")
    write(out, "m-empty.latentlab", b"")
    write(out, "m-truncated-header.latentlab", good[:len(MAGIC) + 8 + 200])
    write(out, "m-truncated-weights.latentlab", good[:header_end + len(weights) // 2])

    flipped = bytearray(good)
    flipped[header_end + len(weights) // 2] ^= 0x10  # CRC left as it was: a mismatch
    write(out, "m-flipped-weight-byte.latentlab", bytes(flipped))

    deep = 60000
    write(out, "m-nested-60000.latentlab", model_bytes(None, weights, b"[" * deep + b"]" * deep))
    # The same depth inside an otherwise valid header, in a field nothing reads.
    marker = "\"@@NESTED@@\""
    h = json.loads(json.dumps(header))
    h["dataset"]["note"] = "@@NESTED@@"
    text = json.dumps(h).replace(marker, "[" * deep + "]" * deep).encode()
    write(out, "m-nested-in-field.latentlab", model_bytes(None, weights, text))

    text = json.dumps(header).replace("\"version\": 2", "\"version\": 1e300").encode()
    assert b"1e300" in text
    write(out, "m-version-1e300.latentlab", model_bytes(None, weights, text))

    h = json.loads(json.dumps(header))
    h["architecture"]["latent"] = "four"
    write(out, "m-type-error.latentlab", model_bytes(h, weights))

    # 1.5 KB declaring a big image and hidden [512]: a consistent tensor list, 512 bytes of
    # weights with a valid checksum. 1024 x 1024 px is over the network size limit; 256 x 256
    # (67M parameters) is under it, so the tensor list is what must refuse it.
    pixels = header["image"]["height"] * header["image"]["width"] * header["image"]["channels"]
    hidden = header["architecture"]["hidden"][0]
    for side in (1024, 256):
        scale = {pixels: side * side, hidden: 512}
        h = json.loads(json.dumps(header))
        h["image"] = {"channels": 1, "height": side, "width": side}
        h["architecture"]["hidden"] = [512]
        h["training"]["history"] = []
        h["dataset"]["class_names"] = []
        h.pop("optimizer", None)
        for written_not_read in ("latent_layout", "loss_terms"):
            h["architecture"].pop(written_not_read, None)
        h["tensors"] = [{"name": t["name"], "shape": [scale.get(d, d) for d in t["shape"]]}
                        for t in header["tensors"] if not t["name"].startswith("optimizer.")]
        small = bytes(512)
        compact = json.dumps(with_crc(h, small), separators=(",", ":")).encode()
        write(out, f"m-declares-{side}px.latentlab", model_bytes(None, small, compact))

    h = json.loads(json.dumps(header))
    h["architecture"]["hidden"] = [1] * 2000000
    write(out, "m-hidden-2000000.latentlab", model_bytes(h, weights))

    write(out, "m-header-length-1gib.latentlab",
          MAGIC + struct.pack("<Q", 1 << 30) + good[len(MAGIC) + 8:])

    nan = bytearray(weights)
    nan[0:4] = struct.pack("<f", float("nan"))
    nan = bytes(nan)
    write(out, "m-nan-weights.latentlab", model_bytes(with_crc(header, nan), nan))

    h = json.loads(json.dumps(header))
    h["attributes"] = [{"name": "smile", "direction": [0.5] * (latent + 3)}]
    write(out, "m-attribute-wrong-length.latentlab", model_bytes(h, weights))

    h = json.loads(json.dumps(header))
    h["attributes"] = [{"name": "smile", "direction": [1.0] + [0.0] * (latent - 1)}]
    write(out, "m-with-attribute.latentlab", model_bytes(h, weights))

    for name, spec in (("m-recorded-synth-faces.latentlab", "synth-faces:1000000"),
                       ("m-recorded-folder-root.latentlab", "folder:/")):
        h = json.loads(json.dumps(header))
        h["dataset"]["spec"] = spec
        write(out, name, model_bytes(h, weights))


# ---------------------------------------------------------------- IDX files

def idx(dims, data=b"", type_code=0x08):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


def gf2_times(matrix, vector):
    total = 0
    i = 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def crc32_combine(crc1, crc2, len2):
    """zlib's crc32_combine: the CRC of A+B from crc(A), crc(B) and len(B)."""
    odd = [0xEDB88320] + [1 << i for i in range(31)]
    even = [gf2_times(odd, odd[i]) for i in range(32)]   # two zero bits
    odd = [gf2_times(even, even[i]) for i in range(32)]  # four zero bits
    while True:
        even = [gf2_times(odd, odd[i]) for i in range(32)]
        if len2 & 1:
            crc1 = gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [gf2_times(even, even[i]) for i in range(32)]
        if len2 & 1:
            crc1 = gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def gzip_bomb(head, zero_bytes, block=1 << 20):
    """A valid gzip file of `head` then `zero_bytes` zeros, made without compressing them
    all: after a full flush deflate restarts, so every block of zeros compresses to the
    same bytes, which are repeated."""
    assert zero_bytes % block == 0
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    first = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    second = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    assert first == second, "deflate blocks differ; cannot repeat them"
    crc = crc32_combine(zlib.crc32(head), zero_crc(zero_bytes), zero_bytes)
    final = b"\x01\x00\x00\xff\xff"  # an empty stored block, the last one
    trailer = struct.pack("<II", crc & 0xFFFFFFFF, (len(head) + zero_bytes) & 0xFFFFFFFF)
    return start + first * (zero_bytes // block) + final + trailer


def zero_crc(n):
    """CRC-32 of n zero bytes, by doubling (no n-byte buffer)."""
    crc, length, piece, piece_len = 0, 0, zlib.crc32(b"\0"), 1
    while n:
        if n & 1:
            crc = crc32_combine(crc, piece, piece_len) if length else piece
            length += piece_len
        piece = crc32_combine(piece, piece, piece_len)
        piece_len *= 2
        n >>= 1
    return crc


def make_idx(out):
    rng = random.Random(11)
    count, side = 200, 8
    images = bytes(rng.randrange(256) for _ in range(count * side * side))
    labels = bytes(i % 10 for i in range(count))
    good = idx([count, side, side], images)
    write(out, "idx-good-images.idx", good)
    write(out, "idx-good-labels.idx", idx([count], labels))
    write(out, "idx-labels-190-for-200.idx", idx([count - 10], labels[:count - 10]))

    # The 4.2 MB file: one 65536 x 65536 image, gzipped.
    bomb = gzip_bomb(idx([1, 65536, 65536]), 65536 * 65536)
    write(out, "idx-bomb-65536x65536.idx.gz", bomb)
    check = zlib.decompressobj(31)
    assert check.decompress(bomb[:4096], 64)[:16] == idx([1, 65536, 65536])

    write(out, "idx-16-bytes-declares-2p28x8x8.idx", idx([1 << 28, 8, 8]))
    write(out, "idx-type-0x0D.idx", idx([4, 2, 2], struct.pack(">16f", *([0.5] * 16)), type_code=0x0D))

    packed = bytearray(gzip.compress(good, mtime=0))
    packed[len(packed) // 2] ^= 0x04
    write(out, "idx-bit-flip-in-gzip.idx.gz", bytes(packed))
    write(out, "idx-garbage-after-gzip.idx.gz", gzip.compress(good, mtime=0) + b"garbage after the gzip member\n")
    write(out, "idx-truncated.idx", good[:len(good) // 2])
    write(out, "idx-truncated.idx.gz", gzip.compress(good, mtime=0)[:len(gzip.compress(good, mtime=0)) // 2])


# ---------------------------------------------------------------- images

def png(width, height, rows, colour_type=0):
    """A PNG of 8-bit samples; `rows` yields each row's bytes (without the filter byte)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + r for r in rows)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def small_pngs(folder, count, rng):
    os.makedirs(folder, exist_ok=True)
    names = []
    for i in range(count):
        name = f"face{i:02d}.png"
        rows = [bytes(rng.randrange(256) for _ in range(16)) for _ in range(16)]
        write(folder, name, png(16, 16, rows))
        names.append(name)
    return names


def jpeg(width, height, rng):
    """A baseline greyscale JPEG whose 8x8 blocks are flat (DC only), one shade each."""
    def segment(marker, body):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]      # the standard luminance tables
    dc_vals = list(range(12))
    ac_bits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D]
    ac_vals = bytes.fromhex(
        "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a"
        "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9"
        "aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa")
    codes, code = {}, 0                                               # canonical Huffman codes of the DC table
    k = 0
    for length, n in enumerate(dc_bits, 1):
        for _ in range(n):
            codes[dc_vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    bits = []
    def put(value, length):
        bits.extend((value >> (length - 1 - i)) & 1 for i in range(length))
    previous = 0
    for _ in range((width // 8) * (height // 8)):
        dc = rng.randrange(-60, 60) * 8
        diff = dc // 8 - previous
        previous = dc // 8
        size = abs(diff).bit_length()
        put(*codes[size])
        if size:
            put(diff if diff > 0 else diff + (1 << size) - 1, size)
        put(0b1010, 4)                                                # AC end of block
    bits.extend([1] * (-len(bits) % 8))
    data = bytearray()
    for i in range(0, len(bits), 8):
        byte = int("".join(map(str, bits[i:i + 8])), 2)
        data.append(byte)
        if byte == 0xFF:
            data.append(0)                                            # byte stuffing
    return (b"\xff\xd8"
            + segment(0xDB, b"\x00" + bytes([1] * 64))
            + segment(0xC0, b"\x08" + struct.pack(">HH", height, width) + b"\x01\x01\x11\x00")
            + segment(0xC4, b"\x00" + bytes(dc_bits) + bytes(dc_vals))
            + segment(0xC4, b"\x10" + bytes(ac_bits) + ac_vals)
            + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + bytes(data) + b"\xff\xd9")


def make_images(out):
    rng = random.Random(12)
    good_names = small_pngs(os.path.join(out, "folder-good"), 12, rng)

    wide = os.path.join(out, "folder-with-999999x1")
    small_pngs(wide, 12, rng)
    write(wide, "wide-999999x1.png", png(999999, 1, [bytes(999999)]))

    text = os.path.join(out, "folder-with-text-png")
    small_pngs(text, 12, rng)
    write(text, "notes.png", b"these are notes, not a picture\n" * 10)

    # IHDR says 30000 x 30000 (valid CRC); the IDAT holds a few rows only.
    write(out, "img-ihdr-30000x30000.png", png(30000, 30000, [bytes(30000)] * 2))
    write(out, "img-text-named.png", b"these are notes, not a picture\n" * 10)
    whole = jpeg(256, 256, rng)
    write(out, "img-good.jpg", whole)
    write(out, "img-truncated.jpg", whole[:len(whole) // 2])
    return good_names


# ---------------------------------------------------------------- attribute files

def make_attributes(out, names):
    rows = [f"{n} {1 if i % 2 else -1} {-1 if i % 3 else 1}" for i, n in enumerate(names)]
    write(out, "attr-good.txt", f"{len(names)}\nSmiling Young\n{chr(10).join(rows)}\n".encode())
    duplicated = rows[:-1] + [rows[0]]
    write(out, "attr-duplicate-rows.txt", f"{len(names)}\nSmiling Young\n{chr(10).join(duplicated)}\n".encode())
    write(out, "attr-huge-count.txt", f"99999999999999\nSmiling Young\n{chr(10).join(rows)}\n".encode())
    columns = " ".join(["Smiling"] + [f"a{i}" for i in range(1999)])
    wide_rows = [n + " 1" * 2000 for n in names]
    write(out, "attr-2000-columns.txt", f"{len(names)}\n{columns}\n{chr(10).join(wide_rows)}\n".encode())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, good_model = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    make_models(out, good_model)
    make_idx(out)
    names = make_images(out)
    make_attributes(out, names)


if __name__ == "__main__":
    main()
