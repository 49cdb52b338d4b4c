# A ViT-B/16-like pretraining schedule (lrcli test data): 30 epochs of warmup, stepped per
# iteration, then a cosine to epoch 300.
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=0.003, weight_decay=0.3),
    clip_grad=dict(max_norm=1.0))

param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=30, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=270, by_epoch=True, begin=30, end=300),
]

train_cfg = dict(by_epoch=True, max_epochs=300)
train_dataloader = dict(batch_size=128)
auto_scale_lr = dict(base_batch_size=4096)
