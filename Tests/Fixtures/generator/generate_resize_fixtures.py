"""Pillow resize references for `Raster`'s `RGBImage.resized` (seeded; nothing downloaded).

Writes `Tests/Fixtures/resize/`: two source images (random noise, and a hard-edged pattern)
as raw RGB bytes, each resized by Pillow with BICUBIC and BILINEAR to several non-square sizes
(downscale, upscale, mixed), as raw RGB bytes; `cases.json` lists them; `manifest.json` holds
versions and SHA-256s. Raw bytes keep the Swift tests free of any image decoder.
    python3 Tests/Fixtures/generator/generate_resize_fixtures.py
"""

import hashlib
import json
import os
import shutil
import sys

import numpy as np
import PIL
from PIL import Image

OUT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "resize"))
# Down, square, up-x/down-y and (37x23 ->) 35x5 (Pillow 13 then resamples rows first),
# down-x/up-y, extreme ratios.
TARGETS = [(11, 7), (56, 56), (97, 40), (29, 64), (5, 93), (30, 9), (35, 5)]
FILTERS = {"bicubic": Image.Resampling.BICUBIC, "bilinear": Image.Resampling.BILINEAR}


def sources():
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, size=(23, 37, 3), dtype=np.uint8)
    y, x = np.mgrid[0:61, 0:83]
    pattern = np.stack([
        np.where((x // 5 + y // 7) % 2 == 0, 255, 0),
        (x * 3) % 256,
        np.where((x - 40) ** 2 + (y - 30) ** 2 < 400, 250, 10),
    ], axis=-1).astype(np.uint8)
    return {"noise": noise, "pattern": pattern}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    cases = []
    for name, array in sources().items():
        h, w, _ = array.shape
        with open(os.path.join(OUT, f"{name}.rgb"), "wb") as f:
            f.write(array.tobytes())
        image = Image.fromarray(array, "RGB")
        for tw, th in TARGETS:
            for filter_name, resample in FILTERS.items():
                out = np.asarray(image.resize((tw, th), resample=resample))
                file = f"{name}_{filter_name}_{tw}x{th}.rgb"
                with open(os.path.join(OUT, file), "wb") as f:
                    f.write(out.tobytes())
                cases.append({"source": f"{name}.rgb", "width": w, "height": h, "filter": filter_name,
                              "target_width": tw, "target_height": th, "expected": file})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
    files = sorted(os.listdir(OUT))
    manifest = {
        "generator": "Tests/Fixtures/generator/generate_resize_fixtures.py",
        "versions": {"python": sys.version.split()[0], "pillow": PIL.__version__, "numpy": np.__version__},
        "files": {f: hashlib.sha256(open(os.path.join(OUT, f), "rb").read()).hexdigest() for f in files},
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
