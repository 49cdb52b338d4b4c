# YOLOX-S in mmyolo's shape (lrcli test data): mmdet's QuadraticWarmupLR named through its scope,
# a cosine to the last 15 epochs, then a constant lr; validation every epoch from there.
_base_ = ['../_base_/default_runtime.py', 'yolox_p5_tta.py']

data_root = 'data/coco/'
train_batch_size_per_gpu = 8
train_num_workers = 8
base_lr = 0.01
max_epochs = 300
num_classes = 80
img_scale = (640, 640)
deepen_factor = 0.33
widen_factor = 0.5
save_epoch_intervals = 10
num_last_epochs = 15

model = dict(
    type='YOLODetector',
    init_cfg=dict(type='Kaiming', layer='Conv2d', a=2.23606797749979, distribution='uniform', mode='fan_in',
                  nonlinearity='leaky_relu'),
    backbone=dict(type='YOLOXCSPDarknet', deepen_factor=deepen_factor, widen_factor=widen_factor,
                  out_indices=(2, 3, 4), spp_kernal_sizes=(5, 9, 13),
                  norm_cfg=dict(type='BN', momentum=0.03, eps=0.001), act_cfg=dict(type='SiLU', inplace=True)),
    bbox_head=dict(type='YOLOXHead', head_module=dict(type='YOLOXHeadModule', num_classes=num_classes,
                                                      in_channels=256, widen_factor=widen_factor,
                                                      featmap_strides=[8, 16, 32])),
    train_cfg=dict(assigner=dict(type='mmdet.SimOTAAssigner', center_radius=2.5,
                                 iou_calculator=dict(type='mmdet.BboxOverlaps2D'))),
    test_cfg=dict(yolox_style=True, multi_label=True, score_thr=0.001, max_per_img=300,
                  nms=dict(type='nms', iou_threshold=0.65)))

pre_transform = [dict(type='LoadImageFromFile', backend_args=_base_.backend_args),
                 dict(type='LoadAnnotations', with_bbox=True)]
train_pipeline_stage1 = [
    *pre_transform,
    dict(type='Mosaic', img_scale=img_scale, pad_val=114.0, pre_transform=pre_transform),
    dict(type='mmdet.RandomAffine', scaling_ratio_range=(0.1, 2), border=(-img_scale[0] // 2, -img_scale[1] // 2)),
    dict(type='YOLOXMixUp', img_scale=img_scale, ratio_range=(0.8, 1.6), pad_val=114.0, pre_transform=pre_transform),
    dict(type='mmdet.YOLOXHSVRandomAug'),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'flip',
                                                'flip_direction'))
]
train_pipeline_stage2 = [*pre_transform, dict(type='mmdet.Resize', scale=img_scale, keep_ratio=True),
                         dict(type='mmdet.PackDetInputs')]

train_dataloader = dict(
    batch_size=train_batch_size_per_gpu,
    num_workers=train_num_workers,
    persistent_workers=True,
    pin_memory=True,
    collate_fn=dict(type='yolov5_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='YOLOv5CocoDataset', data_root=data_root, ann_file='annotations/instances_train2017.json',
                 data_prefix=dict(img='train2017/'), filter_cfg=dict(filter_empty_gt=False, min_size=32),
                 pipeline=train_pipeline_stage1))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=base_lr, momentum=0.9, weight_decay=5e-4, nesterov=True),
    paramwise_cfg=dict(norm_decay_mult=0., bias_decay_mult=0.))

param_scheduler = [
    dict(
        # a quadratic warmup of 5 epochs, stepped per iteration
        type='mmdet.QuadraticWarmupLR',
        by_epoch=True,
        begin=0,
        end=5,
        convert_to_iter_based=True),
    dict(
        # a cosine from epoch 5 to 285
        type='CosineAnnealingLR',
        eta_min=base_lr * 0.05,
        begin=5,
        T_max=max_epochs - num_last_epochs,
        end=max_epochs - num_last_epochs,
        by_epoch=True,
        convert_to_iter_based=True),
    dict(
        # a fixed lr for the last 15 epochs
        type='ConstantLR',
        by_epoch=True,
        factor=1,
        begin=max_epochs - num_last_epochs,
        end=max_epochs,
    )
]

default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=save_epoch_intervals, max_keep_ckpts=3,
                                     save_best='auto'))
custom_hooks = [
    dict(type='YOLOXModeSwitchHook', num_last_epochs=num_last_epochs, new_train_pipeline=train_pipeline_stage2,
         priority=48),
    dict(type='mmdet.SyncNormHook', priority=48),
    dict(type='EMAHook', ema_type='ExpMomentumEMA', momentum=0.0001, update_buffers=True, strict_load=False,
         priority=49)
]

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=save_epoch_intervals,
                 dynamic_intervals=[(max_epochs - num_last_epochs, 1)])
auto_scale_lr = dict(base_batch_size=8 * train_batch_size_per_gpu)
