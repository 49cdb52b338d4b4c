# RTMDet-S as a new-style child of RTMDet-L (lrcli test data): the model merged, one scheduler and
# the loop changed in place, the optimizer's lr scaled.
from mmengine.config import read_base

with read_base():
    from .rtmdet_l_8xb32_300e_coco import *

checkpoint = 'https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/cspnext-s_imagenet_600e.pth'

model.merge(dict(backbone=dict(deepen_factor=0.33, widen_factor=0.5,
                               init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=checkpoint))))

max_epochs = 120
train_cfg.max_epochs = max_epochs
train_cfg.dynamic_intervals[0] = (max_epochs - stage2_num_epochs, 1)
param_scheduler[1].update(begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2)
optim_wrapper.optimizer.lr *= 2
train_dataloader.batch_size //= 2
