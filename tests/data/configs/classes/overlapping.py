# Windows that overlap, both kinds of stepping (lrcli test data).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=8)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9))
param_scheduler = [
    dict(type='ConstantLR', factor=0.25, by_epoch=False, begin=0, end=50),
    dict(type='StepLR', step_size=2, gamma=0.5, by_epoch=True),
    dict(type='ExponentialLR', gamma=0.995, by_epoch=False, begin=100, end=400),
    dict(type='MultiStepLR', milestones=[30, 90, 90], gamma=0.8, by_epoch=False, begin=20),
]
