# Code lrcli does not run, in keys the schedule does not read (lrcli test data): a path joined by
# os.path, a helper function and its results, a while loop. mmengine runs them; lrcli leaves those
# keys unevaluated and still reads the schedule.
_base_ = ['../mmdet3/_base_/schedules/schedule_1x.py']
import os.path as osp  # noqa: E402

data_root = osp.join('data', 'coco')


def scales(base, count):
    return [(base * 2 ** i, base * 2 ** i) for i in range(count)]


img_scales = scales(320, 3)
tta_pipeline = [dict(type='Resize', scale=s, keep_ratio=True) for s in img_scales]
widths = []
width = 8
while width < 100:
    widths.append(width)
    width *= 2

train_dataloader = dict(batch_size=4, dataset=dict(data_root=data_root, ann_file=osp.basename('a/b.json')))
train_cfg = dict(max_epochs=24)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=24, by_epoch=True, milestones=[16, 22], gamma=0.1)
]
