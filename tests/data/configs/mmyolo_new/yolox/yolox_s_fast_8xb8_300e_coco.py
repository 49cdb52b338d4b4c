# YOLOX-S as a new-style config (lrcli test data): mmdet's QuadraticWarmupLR and mmengine's
# schedulers imported, a module imported under a short name, the warmup length computed.
from mmengine.config import read_base

with read_base():
    from .._base_.default_runtime import *

import mmengine.optim as optim
from mmdet.engine.schedulers import QuadraticWarmupLR
from mmengine.runner.loops import EpochBasedTrainLoop
from torch.optim import SGD

from mmyolo.models import YOLODetector, YOLOXCSPDarknet

base_lr = 0.01
max_epochs = 300
num_last_epochs = 15
warmup_epochs = max(5, round(max_epochs / 60))
train_batch_size_per_gpu = 8

model = dict(type=YOLODetector, backbone=dict(type=YOLOXCSPDarknet, deepen_factor=0.33, widen_factor=0.5))

optim_wrapper = dict(
    type=optim.OptimWrapper,
    optimizer=dict(type=SGD, lr=base_lr, momentum=0.9, weight_decay=5e-4, nesterov=True),
    paramwise_cfg=dict(norm_decay_mult=0., bias_decay_mult=0.))

param_scheduler = [
    dict(type=QuadraticWarmupLR, by_epoch=True, begin=0, end=warmup_epochs, convert_to_iter_based=True),
    dict(type=optim.CosineAnnealingLR, eta_min=base_lr * 0.05, begin=warmup_epochs,
         T_max=max_epochs - num_last_epochs, end=max_epochs - num_last_epochs, by_epoch=True,
         convert_to_iter_based=True),
    dict(type=optim.ConstantLR, by_epoch=True, factor=1, begin=max_epochs - num_last_epochs, end=max_epochs),
]

train_cfg = dict(type=EpochBasedTrainLoop, max_epochs=max_epochs, val_interval=10,
                 dynamic_intervals=[(max_epochs - num_last_epochs, 1)])
train_dataloader = dict(batch_size=train_batch_size_per_gpu, num_workers=8)
auto_scale_lr = dict(base_batch_size=8 * train_batch_size_per_gpu)
