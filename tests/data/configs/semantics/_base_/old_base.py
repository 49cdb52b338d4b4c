# A base for the old-style semantics config (lrcli test data).
model = dict(type='Detector', backbone=dict(depth=50, frozen=1), head=dict(num_classes=80))
pipeline = [dict(type='Load'), dict(type='Resize', scale=(1333, 800))]
evaluator = dict(type='CocoMetric', metric='bbox')
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=1)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.02, momentum=0.9))
param_scheduler = [dict(type='MultiStepLR', milestones=[8, 11], by_epoch=True)]
unused = dict(a=1)
