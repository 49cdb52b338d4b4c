# MobileOne-S1 in mmpretrain's shape (lrcli test data): a longer cosine, and the augmentation
# strength of later epochs made from copies of the pipeline (import copy, *= on an item).
_base_ = ['../_base_/datasets/imagenet_bs32_pil_resize.py', '../_base_/schedules/imagenet_bs256_coslr.py']
import copy  # noqa: E402

model = dict(type='ImageClassifier', backbone=dict(type='MobileOne', arch='s1', out_indices=(3, )),
             head=dict(type='LinearClsHead', num_classes=1000, in_channels=1280, topk=(1, 5)))

max_epochs = 300
optim_wrapper = dict(paramwise_cfg=dict(norm_decay_mult=0.))
param_scheduler = dict(T_max=max_epochs, end=max_epochs)
train_cfg = dict(max_epochs=max_epochs)

base_train_pipeline = _base_.train_pipeline
train_pipeline_1e = copy.deepcopy(base_train_pipeline)
train_pipeline_1e[3]['magnitude_level'] *= 0.1
train_pipeline_37e = copy.deepcopy(base_train_pipeline)
train_pipeline_37e[3]['magnitude_level'] *= 0.2
train_dataloader = dict(dataset=dict(pipeline=train_pipeline_1e))

custom_hooks = [
    dict(type='SwitchRecipeHook', schedule=[dict(action_epoch=37, pipeline=train_pipeline_37e)]),
    dict(type='EMAHook', momentum=5e-4, priority='ABOVE_NORMAL')
]
auto_scale_lr = dict(base_batch_size=8 * 32)
