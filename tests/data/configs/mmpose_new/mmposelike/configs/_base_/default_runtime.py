# A pose runtime as a new-style config inside a package's configs folder (lrcli test data).
from mmengine.hooks import CheckpointHook, DistSamplerSeedHook, IterTimerHook, LoggerHook, ParamSchedulerHook
from mmengine.runner import LogProcessor
from mmengine.visualization import LocalVisBackend

default_scope = None
default_hooks = dict(
    timer=dict(type=IterTimerHook),
    logger=dict(type=LoggerHook, interval=50),
    param_scheduler=dict(type=ParamSchedulerHook),
    checkpoint=dict(type=CheckpointHook, interval=10),
    sampler_seed=dict(type=DistSamplerSeedHook))
vis_backends = [dict(type=LocalVisBackend)]
log_processor = dict(type=LogProcessor, window_size=50, by_epoch=True, num_digits=6)
log_level = 'INFO'
load_from = None
resume = False
train_cfg = dict(by_epoch=True)
val_cfg = dict()
test_cfg = dict()
