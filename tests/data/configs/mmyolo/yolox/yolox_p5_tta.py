# YOLOX test-time augmentation in mmyolo's shape (lrcli test data).
img_scales = [(640, 640), (320, 320), (960, 960)]
tta_model = dict(type='mmdet.DetTTAModel', tta_cfg=dict(nms=dict(type='nms', iou_threshold=0.65), max_per_img=300))
tta_img_scales = [(640, 640), (320, 320), (960, 960)]
_multiscale_resize_transforms = [
    dict(type='Compose', transforms=[dict(type='mmdet.Resize', scale=s, keep_ratio=True),
                                     dict(type='mmdet.Pad', pad_to_square=True, pad_val=dict(img=(114.0, 114.0, 114.0)))])
    for s in tta_img_scales
]
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=_base_.backend_args if False else None),
    dict(type='TestTimeAug',
         transforms=[_multiscale_resize_transforms,
                     [dict(type='mmdet.RandomFlip', prob=1.), dict(type='mmdet.RandomFlip', prob=0.)],
                     [dict(type='mmdet.PackDetInputs',
                           meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
                                      'flip_direction'))]])
]
