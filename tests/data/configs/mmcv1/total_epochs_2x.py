# In the shape of an mmdetection 2.0-era config (before runner=dict(...)): the runner's length in
# total_epochs; written for lrcli's tests.
optimizer = dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001)
optimizer_config = dict(grad_clip=None)
lr_config = dict(
    policy='step',
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=1.0 / 3,
    step=[16, 22])
total_epochs = 24
data = dict(samples_per_gpu=2, workers_per_gpu=2)
