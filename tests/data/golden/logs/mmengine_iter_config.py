train_cfg = {'by_epoch': False, 'max_iters': 20}
param_scheduler = [{'type': 'LinearLR', 'start_factor': 0.001, 'by_epoch': False, 'begin': 0, 'end': 5}, {'type': 'CosineAnnealingLR', 'T_max': 15, 'by_epoch': False, 'begin': 5, 'end': 20}]
optim_wrapper = {'optimizer': {'type': 'SGD', 'lr': 0.1, 'momentum': 0.9}}
