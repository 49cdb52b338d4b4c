# ED-Pose in mmpose's new-style shape (lrcli test data): its base imported by the package's name
# (mmengine finds the installed package; lrcli the folder of that name above the config), the
# loop and hooks updated, schedulers imported from mmengine.optim.
from mmengine.config import read_base

with read_base():
    from mmposelike.configs._base_.default_runtime import *  # noqa

from mmengine.dataset import DefaultSampler
from mmengine.optim import LinearLR, MultiStepLR
from torch.nn import GroupNorm
from torch.optim import Adam

from mmpose.codecs import EDPoseLabel
from mmpose.datasets import CocoDataset, LoadImage, PackPoseInputs, RandomFlip
from mmpose.models import BottomupPoseEstimator, ResNet

train_cfg.update(max_epochs=50, val_interval=10)  # noqa

optim_wrapper = dict(optimizer=dict(type=Adam, lr=1e-3))

param_scheduler = [
    dict(type=LinearLR, begin=0, end=500, start_factor=0.001, by_epoch=False),  # warm-up
    dict(type=MultiStepLR, begin=0, end=140, milestones=[33, 45], gamma=0.1, by_epoch=True)
]
auto_scale_lr = dict(base_batch_size=80)

default_hooks.update(checkpoint=dict(save_best='coco/AP', rule='greater'))  # noqa

codec = dict(type=EDPoseLabel, num_select=50, num_keypoints=17)
model = dict(
    type=BottomupPoseEstimator,
    backbone=dict(type=ResNet, depth=50, num_stages=4, out_indices=(1, 2, 3), frozen_stages=1,
                  norm_cfg=dict(type=GroupNorm, num_groups=32, requires_grad=False), norm_eval=True,
                  style='pytorch'),
    test_cfg=dict(multiscale_test=False, flip_test=False, num_select=50))

train_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type=DefaultSampler, shuffle=False),
    dataset=dict(type=CocoDataset, data_root='data/coco/', data_mode='bottomup',
                 ann_file='annotations/person_keypoints_train2017.json',
                 pipeline=[dict(type=LoadImage), dict(type=RandomFlip, direction='horizontal'),
                           dict(type=PackPoseInputs)]))
