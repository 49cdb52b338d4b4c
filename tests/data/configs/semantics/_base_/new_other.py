# A second base module (lrcli test data): only some of its names are imported.
auto_scale_lr = dict(enable=False, base_batch_size=16)
unwanted = dict(never='imported')
