"""An RTMDet-tiny-like config (lrcli test data): fewer epochs; the base's scheduler list is
replaced, its train_cfg merged (the loop type stays the base's)."""
_base_ = './runtime.py'

max_epochs = 120
stage2_num_epochs = 20
base_lr = 0.004 * 4 / 4
interval = max_epochs // 12

train_cfg = dict(max_epochs=max_epochs, val_interval=interval,
                 dynamic_intervals=[(max_epochs - stage2_num_epochs, 1)])
optim_wrapper = dict(optimizer=dict(lr=base_lr))

param_scheduler = [
    dict(type='LinearLR', start_factor=1.0e-5, by_epoch=False, begin=0, end=1000),
    dict(
        # the second half: a cosine to 5% of the lr, stepped per iteration
        type='CosineAnnealingLR',
        eta_min=base_lr * 0.05,
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2,
        by_epoch=True,
        convert_to_iter_based=True),
]
