# An iteration-based loop: cosine to a ratio of the lr, a three-phase OneCycleLR after it
# (lrcli test data).
train_cfg = dict(type='IterBasedTrainLoop', max_iters=3000, val_interval=500)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=200),
    dict(type='CosineAnnealingLR', eta_min_ratio=0.01, by_epoch=False, begin=200, end=2000),
    dict(type='OneCycleLR', eta_max=0.05, total_steps=1000, three_phase=True, anneal_strategy='linear',
         by_epoch=False, begin=2000),
]
