# SAR on synthetic and real text in mmocr's shape (lrcli test data): datasets listed from bases,
# the first five test sets taken by a slice.
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_adam_step_5e.py',
    '_base_sar_resnet31_parallel-decoder.py'
]

textrecog_data_root = 'data/rec'
mjsynth_sub = dict(type='OCRDataset', data_root=textrecog_data_root, ann_file='mjsynth_sub.json', pipeline=None)
synthtext_sub = dict(type='OCRDataset', data_root=textrecog_data_root, ann_file='synthtext_sub.json', pipeline=None)
cocotextv2 = dict(type='OCRDataset', data_root=textrecog_data_root, ann_file='cocotextv2.json', pipeline=None)
test_sets = [
    dict(type='OCRDataset', data_root=textrecog_data_root, ann_file=f'{name}_test.json', test_mode=True, pipeline=None)
    for name in ('cute80', 'iiit5k', 'svt', 'svtp', 'icdar2013', 'icdar2015')
]

train_list = [mjsynth_sub, synthtext_sub, cocotextv2] * 2
test_list = test_sets[:5]

train_dataset = dict(type='ConcatDataset', datasets=train_list, pipeline=_base_.train_pipeline)
test_dataset = dict(type='ConcatDataset', datasets=test_list, pipeline=_base_.test_pipeline)

train_dataloader = dict(batch_size=64, num_workers=24, persistent_workers=True,
                        sampler=dict(type='DefaultSampler', shuffle=True), dataset=train_dataset)
test_dataloader = dict(batch_size=1, num_workers=4, persistent_workers=True, drop_last=False,
                       sampler=dict(type='DefaultSampler', shuffle=False), dataset=test_dataset)
val_dataloader = test_dataloader

val_evaluator = dict(type='MultiDatasetsEvaluator', dataset_prefixes=[f'{d["ann_file"][:-10]}' for d in test_list],
                     metrics=[dict(type='WordMetric', mode=['exact', 'ignore_case', 'ignore_case_symbol']),
                              dict(type='CharMetric')])
test_evaluator = val_evaluator
auto_scale_lr = dict(base_batch_size=64 * 8)
