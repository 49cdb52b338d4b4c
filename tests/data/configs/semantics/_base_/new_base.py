# A base module for the new-style semantics config (lrcli test data).
from mmengine.optim import MultiStepLR
from mmengine.runner.loops import EpochBasedTrainLoop
from torch.optim import SGD

train_cfg = dict(type=EpochBasedTrainLoop, max_epochs=12, val_interval=1)
runtime = dict(level=1, nested=dict(a=1, b=2))
optim_wrapper = dict(optimizer=dict(type=SGD, lr=0.02, momentum=0.9))
param_scheduler = [dict(type=MultiStepLR, milestones=[8, 11], by_epoch=True)]
shared = dict(k=1)
alias = shared
