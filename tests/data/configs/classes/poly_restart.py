# PolyLR by epoch and CosineRestartLR by iteration, overlapping (lrcli test data).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, by_epoch=True, begin=1),
    dict(type='CosineRestartLR', periods=[100, 200, 300], restart_weights=[1, 0.5, 0.25], eta_min_ratio=0.1,
         by_epoch=False, begin=50, end=650),
]
