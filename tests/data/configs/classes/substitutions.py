"""{{_base_.name}}, _base_ reads, _delete_ and dict(**...) (lrcli test data)."""
_base_ = '../mmdet/schedule_1x.py'

lr = _base_.optim_wrapper.optimizer.lr
auto_scale_lr = {{_base_.auto_scale_lr}}
decay = _base_.param_scheduler[1]
warmup = dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=200)
param_scheduler = [warmup, dict(type=decay.type, by_epoch=decay['by_epoch'], milestones=[4, 6], gamma=decay.gamma ** 2)]

train_cfg = dict(max_epochs=7)
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(**dict(type='SGD', momentum=0.9), lr=lr * 2 - 0.01))
