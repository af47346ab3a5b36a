#!/usr/bin/env python3
"""Tiny .npy files written by numpy for NpyTest. Run from this folder: /usr/bin/python3 npy_files.py"""
import numpy as np
np.save("u8_2x3x3x1.npy", np.arange(18, dtype=np.uint8).reshape(2, 3, 3, 1) * 15)
np.save("f4_2x2x2x3.npy", (np.arange(24, dtype=np.float32) / 23).reshape(2, 2, 2, 3))
