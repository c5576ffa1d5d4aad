#!/usr/bin/env python3
"""Writes the fuzz corpora in tests/fuzz/corpus/<harness>/ (python3, standard library only).

  seed-*     valid tiny files: models, PNG, JPEG and an attribute file written by
             latentlab-cli (give its path with --cli), IDX files cut from Debian's
             Fashion-MNIST (LatentLab has no IDX writer on the command line).
  regress-*  the hostile inputs of issue 11, crafted here, each kept small (gzip where
             the compression is the point). The fuzzers add what they find to their
             scratch copy, never here: a new crash is added by hand, as regress-*.

Run from anywhere: make_corpus.py --cli build/bin/latentlab-cli
Without --cli the committed model seeds are reused for the model regressions.
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
FASHION = os.environ.get("LATENTLAB_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
MODEL_MAGIC = b"LATENTLAB-MODEL\n"


def put(harness, name, data):
    folder = os.path.join(CORPUS, harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime 0: the same bytes on every run
    return gzip.compress(data, compresslevel=9, mtime=0)


def idx_header(type_code, dims):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims)


# --- IDX ---------------------------------------------------------------------------

def fashion_slice(name, count):
    """The first COUNT entries of a Fashion-MNIST file, as an IDX file of its own."""
    with gzip.open(os.path.join(FASHION, name), "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = list(struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim]))
    per_entry = 1
    for d in dims[1:]:
        per_entry *= d
    body = data[4 + 4 * ndim:4 + 4 * ndim + count * per_entry]
    return idx_header(0x08, [count] + dims[1:]) + body


def make_idx():
    images = fashion_slice("train-images-idx3-ubyte.gz", 2)
    labels = fashion_slice("train-labels-idx1-ubyte.gz", 2)
    put("idxfile", "seed-fashion-2-images-idx3-ubyte", images)
    put("idxfile", "seed-fashion-2-images-idx3-ubyte.gz", gz(images))
    put("idxfile", "seed-fashion-2-labels-idx1-ubyte.gz", gz(labels))

    # One 65536 x 65536 image, gzipped: the real file (4.2 MB, 4 GiB inflated) made the
    # CLI allocate 4.2 GB and die of SIGFPE; this one has only 1 MiB of its pixels, so
    # the declared size must be checked against the stream before it is allocated.
    put("idxfile", "regress-gz-1x65536x65536-truncated.gz",
        gz(idx_header(0x08, [1, 65536, 65536]) + bytes(1 << 20)))
    # 16 bytes declaring 2^28 x 8 x 8: 16 GiB allocated and zero-filled before the
    # truncation was found.
    put("idxfile", "regress-16-bytes-2p28x8x8", idx_header(0x08, [1 << 28, 8, 8]))
    # Element type 0x0D (float): was reported as "0x13".
    put("idxfile", "regress-type-0x0d-float", idx_header(0x0D, [2]) + struct.pack(">ff", 1.0, 2.0))
    # A bit flipped inside the deflate data: was "not an IDX file".
    flipped = bytearray(gz(images))
    flipped[len(flipped) // 2] ^= 0x10
    put("idxfile", "regress-gz-bit-flip.gz", bytes(flipped))
    # Garbage after the gzip member: was accepted silently.
    put("idxfile", "regress-gz-garbage-after-member.gz", gz(images) + b"garbage after the gzip member\n")


# --- model files ---------------------------------------------------------------------

def read_model(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:16] == MODEL_MAGIC, path
    length = struct.unpack("<Q", data[16:24])[0]
    return json.loads(data[24:24 + length]), data[24 + length:]


def model_bytes(header_text, weights):
    if isinstance(header_text, str):
        header_text = header_text.encode()
    return MODEL_MAGIC + struct.pack("<Q", len(header_text)) + header_text + weights


def make_models(cli):
    seed = os.path.join(CORPUS, "modelfile", "seed-mlp-8px-hidden4.latentlab")
    if cli:
        with tempfile.TemporaryDirectory() as tmp:
            run = lambda *args: subprocess.run([cli, *args], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
            run("export-dataset", "--dataset", "synth-faces:30", "--limit", "12", "--out", "faces")
            common = ["--dataset", "folder:faces/images", "--image-size", "8", "--hidden", "4", "--latent", "2",
                      "--epochs", "1", "--batch", "4", "--threads", "1"]
            run("train", *common, "--out", "vae.latentlab")
            run("train", *common, "--autoencoder", "--out", "ae.latentlab")
            run("grid", "--model", "vae.latentlab", "--tiles", "2", "--threads", "1", "--out", "grid.png")
            run("grid", "--model", "vae.latentlab", "--tiles", "2", "--threads", "1", "--out", "grid.jpg")
            run("export-dataset", "--dataset", "synth-faces:30", "--limit", "3", "--out", "three")
            copies = [("modelfile", "vae.latentlab", "seed-mlp-8px-hidden4.latentlab"),
                      ("modelfile", "ae.latentlab", "seed-mlp-autoencoder-8px-hidden4.latentlab"),
                      ("imageio", "grid.png", "seed-grid-17px-grey.png"),
                      ("imageio", "grid.jpg", "seed-grid-17px-grey.jpg"),
                      ("imageio", "faces/images/000001.png", "seed-face-64px-rgb.png"),
                      ("attributetable", "faces/list_attr.txt", "seed-12-faces-list_attr.txt"),
                      ("attributetable", "three/list_attr.txt", "seed-3-faces-list_attr.txt")]
            for harness, source, name in copies:
                with open(os.path.join(tmp, source), "rb") as f:
                    put(harness, name, f.read())
    header, weights = read_model(seed)

    def variant(name, change):
        h = json.loads(json.dumps(header))
        change(h)
        put("modelfile", name, model_bytes(json.dumps(h, separators=(",", ":")), weights))

    # 60,000 nested [ in a header that is otherwise valid: a stack overflow in the JSON
    # library when `info` printed it (30,000 levels printed 1.8 GB).
    nested = json.dumps(header)[:-1] + ', "notes": ' + "[" * 60000 + "]" * 60000 + "}"
    put("modelfile", "regress-header-60000-nested-brackets.latentlab", model_bytes(nested, weights))
    # "version": 1e300: a float-to-int conversion that is undefined behaviour.
    put("modelfile", "regress-header-version-1e300.latentlab",
        model_bytes(json.dumps(header).replace('"version": 2', '"version": 1e300'), weights))
    # Type errors in fields: printed [json.exception.type_error.302] without the file.
    variant("regress-header-version-is-a-string.latentlab", lambda h: h.update(version="2"))
    variant("regress-header-format-is-a-number.latentlab", lambda h: h.update(format=7))
    variant("regress-header-latent-is-a-string.latentlab", lambda h: h["architecture"].update(latent="two"))
    variant("regress-header-image-is-a-list.latentlab", lambda h: h.update(image=[1, 8, 8]))

    # 1024 x 1024 pixels, hidden [512], the tensor list of the tiny seed: a 4.3 GB
    # network was built before the tensor list was checked.
    def huge_image(h):
        h["image"].update(height=1024, width=1024)
        h["architecture"]["hidden"] = [512]
    variant("regress-1024px-hidden512-short-tensor-list.latentlab", huge_image)
    # hidden of 2,000,000 ones (4 MB of header; 11 GB of network before any check). This
    # one has 400,000 (800 KB, past 2 GB when built); gzip cannot shrink it: the reader
    # takes the file as it is.
    variant("regress-hidden-400000-ones.latentlab", lambda h: h["architecture"].update(hidden=[1] * 400000))


# --- images --------------------------------------------------------------------------

def png(width, height, colour_type, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def make_images():
    # 999999 x 1 (about 1 KB): scaled up before it was cropped, up to 9 GB.
    put("imageio", "regress-png-999999x1.png", png(999999, 1, 0, b"\x00" + bytes(999999)))
    # Found by fuzz_imageio: an IHDR of 4292346111 x 3758096639 overflowed the int64
    # product in the megapixel check (UBSan: signed integer overflow).
    put("imageio", "regress-png-ihdr-4292346111x3758096639.png", png(4292346111, 3758096639, 0, b"\x00"))


# --- attribute files ------------------------------------------------------------------

def make_attributes():
    # Duplicate rows: was reported as "truncated?".
    put("attributetable", "regress-duplicate-rows-list_attr.txt",
        b"3\nSmiling Eyeglasses\n000001.png 1 -1\n000002.png -1 -1\n000001.png 1 -1\n")


# --- data set specs --------------------------------------------------------------------

def make_specs():
    # One of each form the loader's table lists (DatasetLoader::specHelp).
    for i, spec in enumerate(["fashion-mnist", "idx:train-images-idx3-ubyte.gz,train-labels-idx1-ubyte.gz",
                              "idx:images.idx", "digits", "folder:photos/cats", "synth-faces", "synth-faces:1000",
                              "cards", "cards2", "cards:cards4", "faces:holiday.mp4"]):
        put("datasetspec", f"seed-{i:02d}", spec.encode())
    # Recorded in a model file, these were loaded by eval and by the window on open:
    # a million generated faces, and a folder walk of the whole file system.
    put("datasetspec", "regress-synth-faces-1000000", b"synth-faces:1000000")
    put("datasetspec", "regress-folder-root", b"folder:/")
    put("datasetspec", "regress-synth-faces-count-overflow", b"synth-faces:99999999999999999999999")
    put("datasetspec", "regress-control-character", b"folder:a\nb")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", help="latentlab-cli, to write the seeds again")
    args = parser.parse_args()
    make_idx()
    make_models(os.path.abspath(args.cli) if args.cli else None)
    make_images()
    make_attributes()
    make_specs()
    for harness in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, harness))
        size = sum(os.path.getsize(os.path.join(CORPUS, harness, f)) for f in files)
        print(f"{harness}: {len(files)} files, {size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
