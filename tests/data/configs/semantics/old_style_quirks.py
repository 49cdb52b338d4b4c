# Old-style details mmengine has and lrcli keeps (lrcli test data): _base_ values are shared with
# the bases (changing them changes the merged config), del _base_.x, _delete_ kept where the base
# has no such key, aliases copied apart, ConfigDict attributes, loops, conditions, slices.
_base_ = ['./_base_/old_base.py']

detector = _base_.model
detector.pop('head')
detector.backbone.update(dict(depth=101))
_base_.pipeline.append(dict(type='Pack'))
del _base_.unused

evaluator = dict(_delete_=True, type='VOCMetric', metric='mAP')
test_evaluator = evaluator
fresh = dict(_delete_=True, kept=True)

epochs = _base_.train_cfg.max_epochs * 2
milestones = [epochs * 2 // 3, epochs * 11 // 12]
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=False, begin=0, end=500),
    dict(type=_base_.param_scheduler[0].type, milestones=milestones, by_epoch=True),
]
train_cfg = dict(max_epochs=epochs)

stages = []
for index, depth in enumerate([2, 2, 6, 2]):
    if index % 2:
        continue
    stages.append(dict(index=index, blocks=list(range(depth))[::2]))
else:
    stages.append('done')
named = {f'stage{s["index"]}': len(s['blocks']) for s in stages if s != 'done'}
ratio = round(max(1.5, min(named.values()) / 3), 2) if named else None
flags = [x > 1 and not x % 2 or x == 0 for x in range(5)]
chained = 0 < len(stages) <= 3 < 10
label = 'epochs' if epochs > 20 else 'few'
summary = f'{label}:{epochs:>4d}|{ratio!r}|{1 / 3:.3f}'
n = __name__
