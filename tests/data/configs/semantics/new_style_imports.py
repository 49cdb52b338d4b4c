# New-style details mmengine has and lrcli keeps (lrcli test data): every import form and the
# dotted name it gives, update() on a base's dict (merging) and on the file's own (replacing),
# merge() with _delete_, aliases in a base copied apart, names imported under another name.
from mmengine.config import read_base

with read_base():
    from ._base_.new_base import *
    from ._base_.new_other import auto_scale_lr as scaling

import mmengine.optim as optim
import mmengine.optim.scheduler
import torch.optim
from mmengine.optim.scheduler.lr_scheduler import LinearLR as Warmup

train_cfg.update(dict(max_epochs=24))
runtime.update(dict(level=2, nested=dict(a=5)))
runtime.merge(dict(nested=dict(_delete_=True, c=3)))
shared.update(k=2)
own = dict(a=dict(b=1))
own.update(a=dict(c=2))
optim_wrapper.update(optimizer=dict(lr=0.01))
param_scheduler = [
    dict(type=Warmup, start_factor=0.1, by_epoch=False, begin=0, end=100),
    dict(type=optim.MultiStepLR, milestones=[16, 22], by_epoch=True),
]
types = [optim.CosineAnnealingLR, mmengine.optim.scheduler.PolyLR, torch.optim.lr_scheduler.StepLR, optim]
auto_scale_lr = dict(scaling, base_batch_size=scaling['base_batch_size'] * 2)
named = f'{Warmup}'
