# mmdet's quadratic warmup (converted from epochs), then OneCycleLR per iteration (lrcli test data).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=6)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01))
param_scheduler = [
    dict(type='QuadraticWarmupLR', by_epoch=True, begin=0, end=1, convert_to_iter_based=True),
    dict(type='OneCycleLR', eta_max=0.2, pct_start=0.25, by_epoch=False, begin=150, end=900),
]
