# A plateau-driven decay after a warmup, validated every other epoch from epoch 2 (lrcli test data).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=40, val_begin=2, val_interval=2,
                 dynamic_intervals=[(30, 1)])
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
    dict(type='ReduceOnPlateauLR', monitor='loss', rule='less', factor=0.5, patience=2, cooldown=1,
         min_value=0.001, begin=4),
]
