"""Write tests/data/golden/: what the real libraries compute, one folder per family.

Each family has one module, run from the repository's root in the environment its docstring names
(the tests never import the libraries):

    python -m scripts.golden.torch_cases [--only NAME…] [--long]       # /tmp/torch
    python -m scripts.golden.transformers_cases [--only NAME…]         # /tmp/torch
    python -m scripts.golden.timm_cases [--only NAME…]                 # /tmp/torch
    python -m scripts.golden.mmengine_cases [--only NAME…]             # /tmp/torch
    python -m scripts.golden.deepspeed_cases [--only NAME…]            # /tmp/ds
    python -m scripts.golden.mmcv_cases [--only NAME…]                 # /tmp/torch and mmcv's sdist
    python -m scripts.golden.ultralytics_cases [--only NAME…]          # /tmp/ul
    python -m scripts.golden.diffusers_cases [--only NAME…]            # /tmp/diff
    python -m scripts.golden.accelerate_cases [--only NAME…]           # /tmp/diff
    python -m scripts.golden.logs_cases PART…                          # each part's own

``harness`` (standard library only, so every environment imports it) knows the folders and writes
the CSV files and each folder's ``manifest.json``, which names the library versions the data came
from; ``commands`` (torch) replays the cases that are lrcli command lines. The environments are
pinned in ``requirements-*.txt`` beside this file.
"""
