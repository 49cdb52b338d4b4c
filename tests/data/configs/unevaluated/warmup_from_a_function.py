# A warmup whose length comes from a function of the config (lrcli test data): mmengine runs it;
# lrcli does not, so this schedule is one it refuses to show.
_base_ = ['../mmdet3/_base_/schedules/schedule_1x.py']


def warmup_iters(epochs=1, per_epoch=500):
    return epochs * per_epoch


param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=warmup_iters()),
    dict(type='MultiStepLR', begin=0, end=12, by_epoch=True, milestones=[8, 11], gamma=0.1)
]
