"""A Faster R-CNN-like config: its schedule comes from the 1x base (test data for lrcli)."""
_base_ = ['./schedule_1x.py']

train_dataloader = dict(batch_size=2, num_workers=2, sampler=dict(type='DefaultSampler', shuffle=True))
