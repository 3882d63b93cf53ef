"""Write data/digits.npz from scikit-learn's copy of the UCI optical digits (run once, by hand).

    python -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn numpy
    /tmp/skl/bin/python data/make_digits.py

scikit-learn is needed only here, not by the lessons. Prints the file's SHA-256 for data/README.md
and gan_keras/data.py.
"""

import hashlib
import io
import pathlib

import numpy as np
from sklearn.datasets import load_digits

digits = load_digits()
images = digits.images.astype(np.uint8)
labels = digits.target.astype(np.uint8)
assert images.shape == (1797, 8, 8) and images.max() == 16

buffer = io.BytesIO()
np.savez_compressed(buffer, images=images, labels=labels)
out = pathlib.Path(__file__).resolve().parent / "digits.npz"
out.write_bytes(buffer.getvalue())
print(out.name, hashlib.sha256(out.read_bytes()).hexdigest())
