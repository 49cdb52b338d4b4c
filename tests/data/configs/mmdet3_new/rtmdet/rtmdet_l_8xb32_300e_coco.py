# RTMDet-L as a new-style config (lrcli test data, mmdetection's shape): base modules imported with
# read_base(), the loop and loaders updated in place, the optimizer and schedule replaced.
from mmengine.config import read_base

with read_base():
    from .._base_.default_runtime import *
    from .._base_.schedules.schedule_1x import *
    from .._base_.datasets.coco_detection import *
    from .rtmdet_tta import *

from mmcv.ops import nms
from mmcv.transforms.processing import RandomResize
from mmengine.hooks.ema_hook import EMAHook
from mmengine.optim.optimizer.optimizer_wrapper import OptimWrapper
from mmengine.optim.scheduler.lr_scheduler import CosineAnnealingLR, LinearLR
from torch.nn import SyncBatchNorm
from torch.nn.modules.activation import SiLU
from torch.optim.adamw import AdamW

from mmdet.datasets.transforms.transforms import CachedMixUp, CachedMosaic, RandomCrop, YOLOXHSVRandomAug
from mmdet.engine.hooks.pipeline_switch_hook import PipelineSwitchHook
from mmdet.models.backbones.cspnext import CSPNeXt
from mmdet.models.detectors.rtmdet import RTMDet
from mmdet.models.layers.ema import ExpMomentumEMA

model = dict(
    type=RTMDet,
    backbone=dict(type=CSPNeXt, arch='P5', expand_ratio=0.5, deepen_factor=1, widen_factor=1,
                  channel_attention=True, norm_cfg=dict(type=SyncBatchNorm), act_cfg=dict(type=SiLU, inplace=True)),
    test_cfg=dict(nms_pre=30000, min_bbox_size=0, score_thr=0.001, nms=dict(type=nms, iou_threshold=0.65),
                  max_per_img=300),
)

train_pipeline = [
    dict(type=LoadImageFromFile, backend_args=backend_args),
    dict(type=LoadAnnotations, with_bbox=True),
    dict(type=CachedMosaic, img_scale=(640, 640), pad_val=114.0),
    dict(type=RandomResize, scale=(1280, 1280), ratio_range=(0.1, 2.0), resize_type=Resize, keep_ratio=True),
    dict(type=RandomCrop, crop_size=(640, 640)),
    dict(type=YOLOXHSVRandomAug),
    dict(type=RandomFlip, prob=0.5),
    dict(type=Pad, size=(640, 640), pad_val=dict(img=(114, 114, 114))),
    dict(type=CachedMixUp, img_scale=(640, 640), ratio_range=(1.0, 1.0), max_cached_images=20,
         pad_val=(114, 114, 114)),
    dict(type=PackDetInputs)
]
train_pipeline_stage2 = [
    dict(type=LoadImageFromFile, backend_args=backend_args),
    dict(type=LoadAnnotations, with_bbox=True),
    dict(type=RandomResize, scale=(640, 640), ratio_range=(0.1, 2.0), resize_type=Resize, keep_ratio=True),
    dict(type=RandomCrop, crop_size=(640, 640)),
    dict(type=PackDetInputs)
]

train_dataloader.update(
    dict(batch_size=32, num_workers=10, batch_sampler=None, pin_memory=True,
         dataset=dict(pipeline=train_pipeline)))
val_dataloader.update(dict(batch_size=5, num_workers=10))
test_dataloader = val_dataloader

max_epochs = 300
stage2_num_epochs = 20
base_lr = 0.004
interval = 10

train_cfg.update(
    dict(max_epochs=max_epochs, val_interval=interval, dynamic_intervals=[(max_epochs - stage2_num_epochs, 1)]))

val_evaluator.update(dict(proposal_nums=(100, 1, 10)))
test_evaluator = val_evaluator

optim_wrapper = dict(
    type=OptimWrapper,
    optimizer=dict(type=AdamW, lr=base_lr, weight_decay=0.05),
    paramwise_cfg=dict(norm_decay_mult=0, bias_decay_mult=0, bypass_duplicate=True))

param_scheduler = [
    dict(type=LinearLR, start_factor=1.0e-5, by_epoch=False, begin=0, end=1000),
    dict(
        # the cosine from epoch 150 to 300
        type=CosineAnnealingLR,
        eta_min=base_lr * 0.05,
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2,
        by_epoch=True,
        convert_to_iter_based=True),
]

default_hooks.update(dict(checkpoint=dict(interval=interval, max_keep_ckpts=3)))
custom_hooks = [
    dict(type=EMAHook, ema_type=ExpMomentumEMA, momentum=0.0002, update_buffers=True, priority=49),
    dict(type=PipelineSwitchHook, switch_epoch=max_epochs - stage2_num_epochs,
         switch_pipeline=train_pipeline_stage2)
]
