# Momentum and weight decay scheduled beside the lr (lrcli test data).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=5)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.95, weight_decay=0.0005))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=False, begin=0, end=60),
    dict(type='CosineAnnealingMomentum', eta_min=0.85, by_epoch=False, begin=0, end=300),
    dict(type='StepParamScheduler', param_name='weight_decay', step_size=2, gamma=0.5, by_epoch=True),
    dict(type='ConstantMomentum', factor=0.9, by_epoch=True, begin=3, end=4),
]
